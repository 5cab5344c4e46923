// `report`: check, as one self-contained HTML page or as Markdown to paste into an incident.

import { checkRequest, runCheck } from '../../shared/entry/check.ts';
import { connect, type ConnectionRequest } from '../../shared/entry/connect.ts';
import { reportDocument, reportTitle } from '../../shared/entry/report.ts';
import { command } from '../command.ts';
import { checkInput, connectionRequest, output, text, withMeasureFlags, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, nothingAnswered, writeOutput } from '../output.ts';
import { readInputs } from '../read-input.ts';

const FORMATS = ['html', 'markdown'] as const;

interface ReportFlags {
  connection: ConnectionRequest;
  check: ReturnType<typeof checkInput>;
  output: (typeof FORMATS)[number];
  out?: string;
}

export const report = command<ReportFlags>({
  name: 'report',
  declare: (c) => withOutput(withMeasureFlags(c), FORMATS)
    .description('check, as a self-contained HTML page (inline CSS and SVG charts, no network requests) or Markdown to paste into an incident')
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
Exit codes: 0 written; 2 bad usage; 3 no member reachable.
Examples:
  kubectl etcd-perf report --out etcd-report.html
  kubectl etcd-perf report -o markdown --prometheus-url http://prometheus:9090 --range 6h > incident.md`),
  parse: (raw) => ({ connection: connectionRequest(raw), check: checkInput(raw), output: output(raw, FORMATS, 'report format'), out: text(raw, 'out') }),
  async run(flags, io: Io) {
    const request = checkRequest({ ...flags.check, logFiles: await readInputs(flags.check.logs) });
    const report = await runCheck(await connect(flags.connection, io.env, cliLogger(io)), request, { logger: cliLogger(io) });
    const failure = nothingAnswered(report, io);
    if (failure !== undefined) return failure;
    writeOutput(io, reportDocument(report, flags.output, { title: reportTitle(report) }), flags.out, `the ${flags.output === 'html' ? 'HTML' : 'Markdown'} report`);
    return EXIT.ok;
  },
});
