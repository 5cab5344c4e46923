// `check`: read every member, analyse, render; the exit code says how bad it is.

import { anyAtLeast, checkRequest, runCheck } from '../../shared/entry/check.ts';
import { connect, type ConnectionRequest } from '../../shared/entry/connect.ts';
import { renderCheckText } from '../../shared/render/check-text.ts';
import { ansi, plain } from '../../shared/render/colour.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderCheckMarkdown } from '../../shared/render/markdown.ts';
import { choice } from '../../shared/util/input.ts';
import { command } from '../command.ts';
import { checkInput, connectionRequest, output, REPORT_LIKE_FORMATS, text, withMeasureFlags, withOutput, type Raw } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, nothingAnswered, textWidth } from '../output.ts';
import { readInputs } from '../read-input.ts';

export const SEVERITIES = ['warn', 'crit'] as const;

/** --fail-on: the least severe finding that fails the run. */
export function failOn(raw: Raw): (typeof SEVERITIES)[number] {
  return choice(text(raw, 'failOn') ?? 'crit', SEVERITIES, 'failOn', 'severity');
}

interface CheckFlags {
  connection: ConnectionRequest;
  check: ReturnType<typeof checkInput>;
  output: (typeof REPORT_LIKE_FORMATS)[number];
  failOn: (typeof SEVERITIES)[number];
}

export const check = command<CheckFlags>({
  name: 'check',
  declare: (c) => withOutput(withMeasureFlags(c), REPORT_LIKE_FORMATS)
    .description('read every member, find what makes the cluster slow or unsafe, and say what to do')
    .option('--fail-on <severity>', 'exit 1 when a finding is at least this severe: warn or crit', 'crit')
    .addHelpText('after', `
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage; 3 no member reachable.
Examples:
  kubectl etcd-perf check --endpoints 10.0.0.1:2379 --cacert ca.crt --cert client.crt --key client.key
  kubectl etcd-perf check --prometheus-url http://prometheus.monitoring:9090 --range 6h
  kubectl etcd-perf check --window 0 -o json | jq '.members[] | {name, fragmentationPercent}'`),
  parse: (raw) => ({ connection: connectionRequest(raw), check: checkInput(raw), output: output(raw, REPORT_LIKE_FORMATS), failOn: failOn(raw) }),
  async run(flags, io: Io) {
    const request = checkRequest({ ...flags.check, logFiles: await readInputs(flags.check.logs) });
    const report = await runCheck(await connect(flags.connection, io.env, cliLogger(io)), request, { logger: cliLogger(io) });
    const failure = nothingAnswered(report, io);
    const colour = io.stdoutIsTty && io.env.NO_COLOR === undefined;
    if (flags.output === 'json' || flags.output === 'yaml') io.stdout(renderData(report, flags.output));
    else if (failure === undefined) {
      io.stdout(flags.output === 'markdown' ? renderCheckMarkdown(report) : renderCheckText(report, { width: textWidth(io), paint: colour ? ansi : plain }));
    }
    if (failure !== undefined) return failure;
    return anyAtLeast(report.findings, flags.failOn) ? EXIT.findings : EXIT.ok;
  },
});
