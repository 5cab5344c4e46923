// How each etcd version words each sign of trouble in its log, written down from the captured fixtures and etcd's
// source, not from the parser: the independent count the log tests (unit and integration) hold the parser to.

import type { LogEventKind } from '../../shared/collect/etcd-log.ts';

/** One member's log per version and format, through every sign (scripts/capture-log-fixtures.ts). */
export const CAPTURED = ['etcd-3.4.23-capnslog.log', 'etcd-3.5.35-zap.log', 'etcd-3.6.16-zap.log', 'etcd-3.6.16-console.log', 'etcd-3.7.3-zap.log', 'etcd-3.7.3-console.log'];

/** The captures with a burst of slow requests past zap's sampling (the others were captured with --no-burst). */
export const SAMPLED = ['etcd-3.6.16-zap.log', 'etcd-3.6.16-console.log'];

/** etcd embedded in a program logging through zap's production logger (numeric ts, float-second durations). */
export const EMBEDDED = 'etcd-3.6.16-embedded.log';

/** The first captures: 3.4.23, three members, both formats. */
export const FIRST = ['capnslog', 'zap'].flatMap((f) => [1, 2, 3].map((i) => `etcd-3.4.23-${f}-member${i}.log`));

/** Each sign's exact words: zap JSON ("msg":"..."), zap console (tab-separated), capnslog text ("W | pkg: ..."). */
export const WORDED: Record<LogEventKind, RegExp> = {
  'slow-apply': /"msg":"apply request took too long"|\tapply request took too long\t| request ".*" with result ".*" took too long \(/,
  'slow-fdatasync': /"msg":"slow fdatasync"|\tslow fdatasync\t| W \| wal: sync duration of /,
  'heartbeat-late': /leader failed to send out heartbeat on time; took too long|W \| etcdserver: failed to send out heartbeat on time \(exceeded/,
  'leader-elected': /raft\.node: [0-9a-f]+ (?:elected leader|changed leader from) /,
  'leader-lost': /raft\.node: [0-9a-f]+ lost leader /,
  'sending-buffer-full': /dropped internal Raft message since sending buffer is full|rafthttp: dropped internal raft message to [0-9a-f]+ since pipeline's sending buffer is full/,
  // Refused writes, the alarm raised, /health refusing (once per probe: not 3.5+'s "/health error" echo of it).
  // The alarm field reads "memberID:<id> alarm:NOSPACE " up to 3.6 and without the trailing space from 3.7.
  nospace: /etcdserver: no space|database space exceeded|"alarm": ?"(?:NOSPACE|memberID:\d+ alarm:NOSPACE ?)"|W \| etcdserver: alarm NOSPACE raised|\/health error due to memberID:\d+ alarm:NOSPACE/,
  compaction: /"msg":"finished scheduled compaction"|\tfinished scheduled compaction\t|mvcc: finished scheduled compaction at /,
  defrag: /"msg":"(?:finished defragmenting directory|defragmented)"|\tfinished defragmenting directory\t|finished defragmenting the storage backend/,
};

export const KINDS = Object.keys(WORDED) as LogEventKind[];

/**
 * How many times the log says the sign: a line counts once, a capnslog merged line ("... [merged 6 repeated lines in
 * 1.39s]") as often as it says; the NOSPACE alarm disarmed is the end of one, not one.
 */
export function worded(text: string, kind: LogEventKind): number {
  return text.split('\n').filter((l) => WORDED[kind].test(l) && !(kind === 'nospace' && /disarm/.test(l)))
    .reduce((n, l) => n + Number(/\[merged (\d+) repeated lines in [^\]]+\]$/.exec(l)?.[1] ?? 1), 0);
}
