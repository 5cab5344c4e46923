// The signs of trouble an etcd log records, as findings: one catalogue for check (through Kubernetes, the pods' logs)
// and the logs command (files, stdin or the pods).

import type { LogEventKind, LogKindSummary } from '../collect/etcd-log.ts';
import type { Category, Severity } from './finding.ts';

export interface LogSign {
  kind: LogEventKind;
  id: string;
  category: Category;
  severity: Severity;
  what: string;
  recommendation: string;
}

export const LOG_SIGNS: readonly LogSign[] = [
  { kind: 'slow-fdatasync', id: 'log-slow-fdatasync', category: 'disk', severity: 'crit', what: 'slow WAL syncs (over 1 s)', recommendation: 'The disk under the WAL is too slow or shared: move the data dir to a dedicated SSD (p99 fdatasync under 10 ms; kubectl etcd-perf bench disk).' },
  { kind: 'heartbeat-late', id: 'log-heartbeat-late', category: 'disk', severity: 'warn', what: 'late heartbeats', recommendation: 'The leader stalls (slow disk, CPU starvation or long GC): check fsync latency and CPU; raise --heartbeat-interval only if the RTT calls for it.' },
  { kind: 'slow-apply', id: 'log-slow-apply', category: 'overload', severity: 'warn', what: 'slow requests (over 100 ms)', recommendation: 'Look for large ranges (lists of big resources without pagination), a slow disk (backend commit) or an overloaded member.' },
  { kind: 'leader-lost', id: 'log-leader-lost', category: 'network', severity: 'warn', what: 'leader losses', recommendation: 'Each lost leader stalls writes for an election: check disk latency, CPU and peer RTT against --heartbeat-interval and --election-timeout.' },
  { kind: 'sending-buffer-full', id: 'log-sending-buffer-full', category: 'network', severity: 'warn', what: 'dropped raft messages (sending buffer full)', recommendation: 'A peer falls behind: check the network between members and that peer\'s disk.' },
  { kind: 'nospace', id: 'log-nospace', category: 'capacity', severity: 'crit', what: 'NOSPACE errors (database space exceeded: the alarm, refused writes)', recommendation: 'Compact and defragment (kubectl etcd-perf maintain), then find what fills the DB; raise the quota only up to 8 GiB.' },
  { kind: 'compaction', id: 'log-compaction', category: 'capacity', severity: 'info', what: 'compactions', recommendation: '' },
  { kind: 'defrag', id: 'log-defrag', category: 'capacity', severity: 'info', what: 'defragmentations', recommendation: '' },
];

/** How many, in words: "at least 103" when zap's sampling dropped some of them (the count is a lower bound). */
export function countInWords(entry: LogKindSummary): string {
  return `${entry.lowerBound ? 'at least ' : ''}${entry.count}`;
}

export function describeWindow(entry: LogKindSummary): string {
  const when = entry.first ? `, first ${entry.first}, last ${entry.last}` : '';
  const sampled = entry.lowerBound ? ' (zap sampled them: past 100 a second it keeps every 100th line)' : '';
  return `${countInWords(entry)}${sampled}${when}${entry.worstMs !== undefined ? `, worst ${entry.worstMs >= 1000 ? `${(entry.worstMs / 1000).toFixed(2)} s` : `${entry.worstMs.toFixed(1)} ms`}` : ''}`;
}
