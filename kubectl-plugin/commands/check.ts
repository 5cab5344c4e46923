// `check`: read every member, analyse, render; the exit code says how bad it is.

import type { Command } from 'commander';
import {
  ansi, anyAtLeast, CHECK_INPUTS, type CheckInput, type CheckReport, checkRequest, connect, CONNECTION_INPUTS, type ConnectionRequest,
  FAIL_ON_INPUT, failIfNothingAnswered, failOnSeverity, plain, renderCheckMarkdown, renderCheckText, renderData, runCheck, type Severity,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { declare, output, REPORT_LIKE_FORMATS, type ReportLikeFormat, text, values, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, textWidth } from '../output.ts';
import { readInputs } from '../read-input.ts';

/** What check and report measure with, and the log files to read (named; the command reads them). */
export type MeasureFlags = CheckInput & { log?: string[] };

export function measure(command: Command): Command {
  return declare(declare(command, CONNECTION_INPUTS), CHECK_INPUTS);
}

/** The check that check and report run: the log files read, the cluster reached, measured and analysed. */
export async function measured(flags: { connection: ConnectionRequest; check: MeasureFlags }, io: Io): Promise<CheckReport> {
  const request = checkRequest({ ...flags.check, logFiles: await readInputs(flags.check.log ?? []) });
  return runCheck(await connect(flags.connection, io.env, cliLogger(io)), request, { logger: cliLogger(io) });
}

type CheckFlags = { connection: ConnectionRequest; check: MeasureFlags; output: ReportLikeFormat; failOn: Severity };

export const check = command<CheckFlags>({
  name: 'check',
  declare: (c) => withOutput(declare(measure(c), [FAIL_ON_INPUT]), REPORT_LIKE_FORMATS)
    .description('read every member, find what makes the cluster slow or unsafe, and say what to do')
    .addHelpText('after', `
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage; 3 no member reachable.
Examples:
  kubectl etcd-perf check --endpoints 10.0.0.1:2379 --cacert ca.crt --cert client.crt --key client.key
  kubectl etcd-perf check --prometheus-url http://prometheus.monitoring:9090 --range 6h
  kubectl etcd-perf check --window 0 -o json | jq '.members[] | {name, fragmentationPercent}'`),
  parse: (raw) => ({ connection: values(raw, CONNECTION_INPUTS), check: values(raw, CHECK_INPUTS), output: output(raw, REPORT_LIKE_FORMATS), failOn: failOnSeverity(text(raw, 'failOn')) }),
  async run(flags, io: Io) {
    const report = await measured(flags, io);
    // With nothing read, a table would only repeat the error; data formats still carry the report for scripts.
    if (flags.output === 'json' || flags.output === 'yaml') io.stdout(renderData(report, flags.output));
    failIfNothingAnswered(report);
    const paint = io.stdoutIsTty && io.env.NO_COLOR === undefined ? ansi : plain;
    if (flags.output === 'markdown') io.stdout(renderCheckMarkdown(report));
    else if (flags.output === 'table') io.stdout(renderCheckText(report, { width: textWidth(io), paint }));
    return anyAtLeast(report.findings, flags.failOn) ? EXIT.findings : EXIT.ok;
  },
});
