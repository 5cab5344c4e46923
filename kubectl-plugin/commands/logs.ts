// `logs`: etcd's logs read for the signs of trouble: given files, stdin (-), or else the etcd pods' own logs through
// Kubernetes over --since.

import {
  analyseLogs, anyAtLeast, connect, CONNECTION_INPUTS, type ConnectionRequest, FAIL_ON_INPUT, failOnSeverity, LOGS_INPUTS, logsSince,
  podLogs, renderData, renderLogsText, type Severity,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { DATA_FORMATS, type DataFormat, declare, output, text, values, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, textWidth } from '../output.ts';
import { readInputs } from '../read-input.ts';

type LogsFlags = { connection: ConnectionRequest; files: string[]; sinceMs: number; failOn: Severity; output: DataFormat };

export const logs = command<LogsFlags>({
  name: 'logs',
  declare: (c) => withOutput(declare(declare(c, CONNECTION_INPUTS), [...LOGS_INPUTS, FAIL_ON_INPUT]), DATA_FORMATS)
    .description("read etcd's logs for slow requests, slow disk syncs, late heartbeats, elections, full send buffers, NOSPACE, compactions and defrags")
    .argument('[files...]', 'etcd log files (any version and format, plain or .gz, journald/CRI/Docker prefixes too); - reads stdin; none: the etcd pods\' logs through Kubernetes')
    .addHelpText('after', `
Examples:
  kubectl etcd-perf logs                                  # the etcd pods of the current context, last hour
  kubectl etcd-perf logs --since 6h --context prod
  journalctl -u etcd --since today -o cat | kubectl etcd-perf logs -
  kubectl etcd-perf logs /var/log/etcd.log -o json
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage.`),
  parse: (raw) => ({
    connection: values(raw, CONNECTION_INPUTS), files: (raw.args[0] as string[] | undefined) ?? [], sinceMs: logsSince(text(raw, 'since')),
    failOn: failOnSeverity(text(raw, 'failOn')), output: output(raw, DATA_FORMATS),
  }),
  async run(flags, io: Io) {
    let sources = await readInputs(flags.files);
    if (flags.files.length === 0) {
      const read = await podLogs(await connect(flags.connection, io.env, cliLogger(io)), flags.sinceMs);
      for (const failed of read.unread) io.stderr(`warning: ${failed.name}: ${failed.error}\n`);
      sources = read.sources;
    }
    const report = analyseLogs(sources);
    io.stdout(flags.output === 'table' ? renderLogsText(report, textWidth(io, 120)) : renderData(report, flags.output));
    return anyAtLeast(report.findings, flags.failOn) ? EXIT.findings : EXIT.ok;
  },
});
