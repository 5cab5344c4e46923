// From one or two scrapes of a member's /metrics to the figures analysis needs. Pure: samples in, numbers out.
// Two scrapes: histogram quantiles and counters over the window between them (what is happening now).
// One scrape (--window 0): lifetime values since the member started, marked as such.

import { extractHistogram, histogramDelta, histogramQuantile, type Histogram, type Quantile } from './histogram.ts';
import type { Sample } from './prometheus-text.ts';

export interface WindowedQuantile extends Quantile {
  /** True when computed over the member's lifetime (no window, or no observation inside it). */
  lifetime: boolean;
}

export interface MemberMetrics {
  quantiles: {
    walFsync?: WindowedQuantile;
    backendCommit?: WindowedQuantile;
    peerRtt?: WindowedQuantile;
    /** Peer RTT p99 by peer member id (hex). */
    peerRttByPeer: Record<string, WindowedQuantile>;
    /** Peer RTT p50 by peer member id (hex). */
    peerRttP50ByPeer: Record<string, WindowedQuantile>;
    /** Client requests as the server times them: etcd 3.7's etcd_server_request_duration_seconds, else the unary gRPC
     * handling histograms (only with --metrics=extensive; Defragment left out, slow by nature). */
    request?: WindowedQuantile;
  };
  /** Where `quantiles.request` comes from, or why there is none (said plainly). */
  requestLatencyFrom: string;
  /** 3.6+: the feature gates and whether each is on (etcd_server_feature_enabled); null before 3.6. */
  featureGates: Record<string, boolean> | null;
  /** Counters: increase over the window, or lifetime totals with --window 0. */
  leaderChanges: number | null;
  proposalsFailed: number | null;
  slowApplies: number | null;
  slowReadIndexes: number | null;
  heartbeatSendFailures: number | null;
  proposalsCommittedPerSecond: number | null;
  /** Puts this member applied (etcd_mvcc_put_total, puts inside transactions included). */
  mvccPuts: number | null;
  /** CPU cores the etcd process used on average over the window (process_cpu_seconds_total); null without a window. */
  cpuCores: number | null;
  /** Gauges from the last scrape. */
  proposalsPending: number | null;
  hasLeader: boolean | null;
  isLeader: boolean | null;
  quotaBytes: number | null;
  residentMemoryBytes: number | null;
  uptimeSeconds: number | null;
  serverVersion: string | null;
  memberId: string | null;
  /** The revision up to which this member has scheduled compaction, and how many compactions it has finished. */
  compactRevision: number | null;
  compactionsFinished: number | null;
}

function gauge(samples: readonly Sample[], name: string): number | null {
  let total: number | null = null;
  for (const sample of samples) if (sample.name === name) total = (total ?? 0) + sample.value;
  return total;
}

function counterIncrease(earlier: readonly Sample[] | undefined, later: readonly Sample[], name: string): number | null {
  const now = gauge(later, name);
  if (now === null || !earlier) return now;
  const before = gauge(earlier, name) ?? 0;
  return now >= before ? now - before : now;
}

function label(samples: readonly Sample[], name: string, key: string): string | null {
  return samples.find((s) => s.name === name)?.labels[key] ?? null;
}

function windowedQuantile(
  earlier: readonly Sample[] | undefined,
  later: readonly Sample[],
  name: string,
  filter?: (labels: Record<string, string>) => boolean,
  q = 0.99,
): WindowedQuantile | undefined {
  const lifetime = extractHistogram(later, name, filter);
  if (!lifetime) return undefined;
  const before = earlier ? extractHistogram(earlier, name, filter) : undefined;
  const windowed: Histogram | undefined = earlier ? histogramDelta(before ?? { buckets: [], count: 0, sum: 0 }, lifetime) : undefined;
  const inWindow = histogramQuantile(q, windowed);
  if (inWindow) return { ...inWindow, lifetime: false };
  const overall = histogramQuantile(q, lifetime);
  return overall ? { ...overall, lifetime: true } : undefined;
}

export function summariseMetrics(
  earlier: readonly Sample[] | undefined,
  later: readonly Sample[],
  windowSeconds: number,
  nowMs: number = Date.now(),
): MemberMetrics {
  const walFsync = windowedQuantile(earlier, later, 'etcd_disk_wal_fsync_duration_seconds');
  const backendCommit = windowedQuantile(earlier, later, 'etcd_disk_backend_commit_duration_seconds');
  const peerRtt = windowedQuantile(earlier, later, 'etcd_network_peer_round_trip_time_seconds');
  const peers = new Set(later.filter((s) => s.name === 'etcd_network_peer_round_trip_time_seconds_bucket').map((s) => s.labels.To ?? ''));
  const peerRttByPeer: Record<string, WindowedQuantile> = {};
  const peerRttP50ByPeer: Record<string, WindowedQuantile> = {};
  for (const peer of [...peers].sort()) {
    const toPeer = (labels: Record<string, string>): boolean => labels.To === peer;
    const quantile = windowedQuantile(earlier, later, 'etcd_network_peer_round_trip_time_seconds', toPeer);
    if (quantile) peerRttByPeer[peer] = quantile;
    const median = windowedQuantile(earlier, later, 'etcd_network_peer_round_trip_time_seconds', toPeer, 0.5);
    if (median) peerRttP50ByPeer[peer] = median;
  }
  const request = requestLatency(earlier, later);
  const gates = later.filter((sample) => sample.name === 'etcd_server_feature_enabled' && sample.labels.name && !/^All(Alpha|Beta)$/.test(sample.labels.name));
  const committed = counterIncrease(earlier, later, 'etcd_server_proposals_committed_total');
  const cpuSeconds = counterIncrease(earlier, later, 'process_cpu_seconds_total');
  const startTime = gauge(later, 'process_start_time_seconds');
  const hasLeader = gauge(later, 'etcd_server_has_leader');
  const isLeader = gauge(later, 'etcd_server_is_leader');
  return {
    quantiles: { walFsync, backendCommit, peerRtt, peerRttByPeer, peerRttP50ByPeer, ...(request.quantile ? { request: request.quantile } : {}) },
    requestLatencyFrom: request.from,
    featureGates: gates.length ? Object.fromEntries(gates.map((g) => [g.labels.name as string, g.value === 1])) : null,
    leaderChanges: counterIncrease(earlier, later, 'etcd_server_leader_changes_seen_total'),
    proposalsFailed: counterIncrease(earlier, later, 'etcd_server_proposals_failed_total'),
    slowApplies: counterIncrease(earlier, later, 'etcd_server_slow_apply_total'),
    slowReadIndexes: counterIncrease(earlier, later, 'etcd_server_slow_read_indexes_total'),
    heartbeatSendFailures: counterIncrease(earlier, later, 'etcd_server_heartbeat_send_failures_total'),
    proposalsCommittedPerSecond: earlier && committed !== null && windowSeconds > 0 ? committed / windowSeconds : null,
    mvccPuts: counterIncrease(earlier, later, 'etcd_mvcc_put_total'),
    cpuCores: earlier && cpuSeconds !== null && windowSeconds > 0 ? cpuSeconds / windowSeconds : null,
    proposalsPending: gauge(later, 'etcd_server_proposals_pending'),
    hasLeader: hasLeader === null ? null : hasLeader === 1,
    isLeader: isLeader === null ? null : isLeader === 1,
    quotaBytes: gauge(later, 'etcd_server_quota_backend_bytes'),
    residentMemoryBytes: gauge(later, 'process_resident_memory_bytes'),
    uptimeSeconds: startTime === null ? null : Math.max(0, nowMs / 1000 - startTime),
    serverVersion: label(later, 'etcd_server_version', 'server_version'),
    memberId: label(later, 'etcd_server_id', 'server_id'),
    compactRevision: gauge(later, 'etcd_debugging_mvcc_compact_revision'),
    compactionsFinished: gauge(later, 'etcd_debugging_mvcc_db_compaction_total_duration_milliseconds_count'),
  };
}

const SERVER_REQUESTS = 'etcd_server_request_duration_seconds';
const GRPC_HANDLING = 'grpc_server_handling_seconds';

function requestLatency(earlier: readonly Sample[] | undefined, later: readonly Sample[]): { quantile?: WindowedQuantile; from: string } {
  if (later.some((s) => s.name === `${SERVER_REQUESTS}_bucket`)) return { quantile: windowedQuantile(earlier, later, SERVER_REQUESTS), from: SERVER_REQUESTS };
  if (later.some((s) => s.name === `${GRPC_HANDLING}_bucket`)) {
    const unary = (labels: Record<string, string>): boolean => labels.grpc_type === 'unary' && labels.grpc_method !== 'Defragment';
    return { quantile: windowedQuantile(earlier, later, GRPC_HANDLING, unary), from: `${GRPC_HANDLING} (unary, Defragment left out)` };
  }
  return { from: `not served: etcd before 3.7 times requests only with --metrics=extensive (${GRPC_HANDLING}), which is off` };
}

/** The metric name prefixes summariseMetrics reads: a filter for the parser. */
export const USED_METRIC_PREFIXES: readonly string[] = [
  'etcd_server_', 'etcd_disk_wal_fsync_', 'etcd_disk_backend_commit_', 'etcd_network_peer_round_trip_', 'process_',
  'etcd_debugging_mvcc_compact_revision', 'etcd_debugging_mvcc_db_compaction_total_duration_milliseconds_count', 'etcd_mvcc_put_total',
  GRPC_HANDLING,
];

/** True when the samples look like etcd's /metrics at all (guards against pointing at some other exporter). */
export function looksLikeEtcd(samples: readonly Sample[]): boolean {
  return samples.some((s) => s.name.startsWith('etcd_server_'));
}
