// `report`: check, as one self-contained HTML page or as Markdown to paste into an incident.

import {
  CHECK_INPUTS, CONNECTION_INPUTS, type ConnectionRequest, failIfNothingAnswered, reportDocument, reportTitle,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { output, text, values, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { writeOutput } from '../output.ts';
import { measure, measured, type MeasureFlags } from './check.ts';

const FORMATS = ['html', 'markdown'] as const;

type ReportFlags = { connection: ConnectionRequest; check: MeasureFlags; output: (typeof FORMATS)[number]; out?: string };

export const report = command<ReportFlags>({
  name: 'report',
  declare: (c) => withOutput(measure(c), FORMATS)
    .description('check, as a self-contained HTML page (inline CSS and SVG charts, no network requests) or Markdown to paste into an incident')
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
Exit codes: 0 written; 2 bad usage; 3 no member reachable.
Examples:
  kubectl etcd-perf report --out etcd-report.html
  kubectl etcd-perf report -o markdown --prometheus-url http://prometheus:9090 --range 6h > incident.md`),
  parse: (raw) => ({ connection: values(raw, CONNECTION_INPUTS), check: values(raw, CHECK_INPUTS), output: output(raw, FORMATS, 'report format'), out: text(raw, 'out') }),
  async run(flags, io: Io) {
    const report = await measured(flags, io);
    failIfNothingAnswered(report);
    writeOutput(io, reportDocument(report, flags.output, { title: reportTitle(report) }), flags.out, `the ${flags.output === 'html' ? 'HTML' : 'Markdown'} report`);
    return EXIT.ok;
  },
});
