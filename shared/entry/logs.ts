// What `logs` asks: etcd's own logs read for the signs of trouble, from texts the door read (files, stdin) or from the
// etcd pods through Kubernetes over the last `since`; a pod whose log cannot be read is said apart, the rest is used.

import { analyseLogs, type LogsReport } from '../analyse/logs.ts';
import type { LogSource } from '../collect/etcd-log.ts';
import { readLogFile } from '../collect/log-file.ts';
import { transportOf } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { input, UsageError } from '../util/errors.ts';
import { duration, type InputSpec } from '../util/input.ts';

export { analyseLogs, readLogFile, type LogSource, type LogsReport };

export const LOGS_DEFAULTS = { since: '1h' } as const;

export const LOGS_INPUTS: ReadonlyArray<InputSpec<'since'>> = [
  { name: 'since', value: 'duration', default: LOGS_DEFAULTS.since, help: 'through Kubernetes: how far back to read each pod\'s log' },
];

/** How far back to read the pods' logs, as typed ("1h"), in milliseconds. */
export function logsSince(since: string | undefined): number {
  return duration(since ?? LOGS_DEFAULTS.since, 'since');
}

/** Each etcd pod's log over the last `sinceMs` (through Kubernetes), and the pods whose log could not be read, with why. */
export async function podLogs(connection: ConnectionOptions, sinceMs: number): Promise<{ sources: LogSource[]; unread: Array<{ name: string; error: string }> }> {
  const transport = transportOf(connection);
  if (!transport.logs) throw new UsageError(`give etcd log files, or reach the etcd pods' logs with a kubeconfig (${input('kubeconfig')}, ${input('context')})`);
  const read = await transport.logs(connection, Math.ceil(sinceMs / 1000));
  const unread = read.flatMap((r) => ('error' in r ? [{ name: r.name, error: r.error }] : []));
  const sources = read.flatMap((r) => ('text' in r ? [{ name: r.name, text: r.text }] : []));
  if (sources.length === 0) throw new UsageError(`no etcd pod log could be read: ${unread.map((r) => r.error).join('; ')}`);
  return { sources, unread };
}
