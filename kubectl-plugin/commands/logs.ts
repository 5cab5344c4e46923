// `logs`: etcd's logs read for the signs of trouble: given files, stdin (-), or else the etcd pods' own logs through
// Kubernetes over --since.

import type { Command } from 'commander';
import { analyseLogs } from '../../shared/analyse/logs.ts';
import type { LogSource } from '../../shared/collect/etcd-log.ts';
import { atLeast } from '../../shared/analyse/finding.ts';
import { transportOf } from '../../shared/connect/member.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderLogsText } from '../../shared/render/logs-text.ts';
import { parseDuration } from '../../shared/util/duration.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { parseDataFormat } from './compact.ts';
import { addConnectionFlags, resolveConnection } from '../connection-flags.ts';
import { EXIT } from '../exit.ts';
import { readInputs } from '../read-input.ts';
import type { Io } from '../io.ts';
import { cliLogger } from '../logger.ts';

export function registerLogs(program: Command, io: Io, done: (code: number) => void): void {
  addConnectionFlags(program.command('logs'))
    .description("read etcd's logs for slow requests, slow disk syncs, late heartbeats, elections, full send buffers, NOSPACE, compactions and defrags")
    .argument('[files...]', 'etcd log files (zap JSON lines or 3.4 text); - reads stdin; none: the etcd pods\' logs through Kubernetes')
    .option('--since <duration>', 'through Kubernetes: how far back to read each pod\'s log', '1h')
    .option('--fail-on <severity>', 'exit 1 when a finding is at least this severe: warn or crit', 'crit')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText('after', `
Examples:
  kubectl etcd-perf logs                                  # the etcd pods of the current context, last hour
  kubectl etcd-perf logs --since 6h --context prod
  journalctl -u etcd --since today -o cat | kubectl etcd-perf logs -
  kubectl etcd-perf logs /var/log/etcd.log -o json
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage.`)
    .action(async (files: string[], options: Record<string, unknown>) => {
      const format = parseDataFormat(options.output);
      const failOn = String(options.failOn);
      if (failOn !== 'warn' && failOn !== 'crit') throw new UsageError(`--fail-on: unknown severity "${failOn}" (choose warn or crit)`);
      const sinceMs = parseDuration(String(options.since), '--since');
      let sources: LogSource[];
      if (files.length) {
        sources = await readInputs(files);
      } else {
        const connection = await resolveConnection(options, io.env, cliLogger(io));
        const transport = transportOf(connection);
        if (!transport.logs) throw new UsageError('give etcd log files, or - to read stdin; or reach the etcd pods\' logs with a kubeconfig (--kubeconfig, --context)');
        const read = await transport.logs(connection, Math.ceil(sinceMs / 1000));
        for (const failed of read.filter((r): r is Extract<typeof r, { error: string }> => 'error' in r)) io.stderr(`warning: ${failed.name}: ${failed.error}\n`);
        sources = read.filter((r): r is Extract<typeof r, { text: string }> => 'text' in r);
        if (sources.length === 0) throw new UsageError(`no etcd pod log could be read: ${read.map((r) => ('error' in r ? r.error : '')).join('; ')}`);
      }
      const report = analyseLogs(sources);
      io.stdout(format === 'table' ? renderLogsText(report, io.stdoutIsTty ? io.columns : 120) : renderData(report, format));
      done(report.findings.some((f) => atLeast(f.severity, failOn)) ? EXIT.findings : EXIT.ok);
    });
}
