// Prometheus alert rules for etcd, as data: each alert's PromQL, how long it must hold, severity, and the words a person
// on call reads. Latency alerts take quantiles of rate()d buckets (what happens now), never of the raw cumulative
// buckets (the lifetime quantile, which fires forever after one bad hour and never for a new one). Thresholds follow
// etcd's guidance (fsync p99 < 10 ms, commit p99 < 25 ms), the same as `check`'s.

import { ADVICE } from '../analyse/advice.ts';
import { THRESHOLDS } from '../analyse/thresholds.ts';
import { GiB, MiB } from '../util/bytes.ts';
import type { Field } from '../util/errors.ts';

export interface AlertThresholds {
  walFsyncWarnSeconds: number;
  walFsyncCritSeconds: number;
  backendCommitWarnSeconds: number;
  backendCommitCritSeconds: number;
  quotaWarnPercent: number;
  quotaCritPercent: number;
  dbSizeBytes: number;
  fragmentationPercent: number;
  fragmentationMinInUseBytes: number;
  growthHours: number;
  leaderChangesPerHour: number;
  failedProposalsPerHour: number;
  slowGrpcSeconds: number;
  peerRttSeconds: number;
}

export type ThresholdKind = 'duration' | 'bytes' | 'percent' | 'count' | 'hours';

/** Every threshold, the input that sets it, its unit and what it means: the doors build their inputs from this table. */
export const ALERT_THRESHOLDS: ReadonlyArray<{ key: keyof AlertThresholds; field: Field; kind: ThresholdKind; help: string }> = [
  { key: 'walFsyncWarnSeconds', field: 'walFsyncWarn', kind: 'duration', help: 'WAL fsync p99 for a warning' },
  { key: 'walFsyncCritSeconds', field: 'walFsyncCrit', kind: 'duration', help: 'WAL fsync p99 for a critical alert' },
  { key: 'backendCommitWarnSeconds', field: 'backendCommitWarn', kind: 'duration', help: 'backend commit p99 for a warning' },
  { key: 'backendCommitCritSeconds', field: 'backendCommitCrit', kind: 'duration', help: 'backend commit p99 for a critical alert' },
  { key: 'quotaWarnPercent', field: 'quotaWarn', kind: 'percent', help: 'DB size as % of the quota for a warning' },
  { key: 'quotaCritPercent', field: 'quotaCrit', kind: 'percent', help: 'DB size as % of the quota for a critical alert' },
  { key: 'dbSizeBytes', field: 'dbSize', kind: 'bytes', help: 'DB size for a warning' },
  { key: 'fragmentationPercent', field: 'fragmentation', kind: 'percent', help: 'fragmentation % for a warning' },
  { key: 'fragmentationMinInUseBytes', field: 'fragmentationMinInUse', kind: 'bytes', help: 'only when at least this much is in use' },
  { key: 'growthHours', field: 'growthHours', kind: 'hours', help: 'warn when the DB, growing as in this many past hours, reaches the quota as many hours ahead' },
  { key: 'leaderChangesPerHour', field: 'leaderChanges', kind: 'count', help: 'leader changes per hour for a warning' },
  { key: 'failedProposalsPerHour', field: 'failedProposals', kind: 'count', help: 'failed proposals per hour for a warning' },
  { key: 'slowGrpcSeconds', field: 'grpcP99', kind: 'duration', help: 'unary gRPC p99 (Defragment excluded) for a warning' },
  { key: 'peerRttSeconds', field: 'peerRtt', kind: 'duration', help: 'peer round-trip p99 for a warning' },
];

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  walFsyncWarnSeconds: THRESHOLDS.walFsyncP99WarnSeconds,
  walFsyncCritSeconds: THRESHOLDS.walFsyncP99CritSeconds,
  backendCommitWarnSeconds: THRESHOLDS.backendCommitP99WarnSeconds,
  backendCommitCritSeconds: THRESHOLDS.backendCommitP99CritSeconds,
  quotaWarnPercent: THRESHOLDS.quotaUsedWarnPercent,
  quotaCritPercent: THRESHOLDS.quotaUsedCritPercent,
  dbSizeBytes: 6 * GiB,
  fragmentationPercent: THRESHOLDS.fragmentationWarnPercent,
  fragmentationMinInUseBytes: 100 * MiB,
  growthHours: 4,
  leaderChangesPerHour: THRESHOLDS.leaderChangesPerHourWarn,
  failedProposalsPerHour: 5,
  slowGrpcSeconds: THRESHOLDS.requestP99WarnSeconds,
  peerRttSeconds: 0.05,
};

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'warning' | 'critical' };
  annotations: { summary: string; description: string; runbook: string };
}

export interface AlertOptions {
  /** Label matchers that pick etcd's series, without braces: job=~".*etcd.*". */
  selector: string;
  thresholds: AlertThresholds;
}

/** A number as PromQL writes it, without float noise (0.1 + 0.2 style). */
function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

function ms(seconds: number): string {
  return `${num(seconds * 1000)} ms`;
}

function bytes(value: number): string {
  return value % GiB === 0 ? `${value / GiB} GiB` : value % MiB === 0 ? `${value / MiB} MiB` : `${value} bytes`;
}

function p99(metric: string, selector: string, by: string): string {
  return `histogram_quantile(0.99, sum by (${by}, le) (rate(${metric}_bucket{${selector}}[5m])))`;
}

export function alertRules({ selector, thresholds: t }: AlertOptions): AlertRule[] {
  const s = selector;
  const rule = (alert: string, severity: 'warning' | 'critical', expr: string, holdFor: string, summary: string, description: string, runbook: string): AlertRule =>
    ({ alert, expr, for: holdFor, labels: { severity }, annotations: { summary, description, runbook } });
  const fsync = p99('etcd_disk_wal_fsync_duration_seconds', s, 'job, instance');
  const commit = p99('etcd_disk_backend_commit_duration_seconds', s, 'job, instance');
  const size = `etcd_mvcc_db_total_size_in_bytes{${s}}`;
  const inUse = `etcd_mvcc_db_total_size_in_use_in_bytes{${s}}`;
  const quota = `etcd_server_quota_backend_bytes{${s}}`;
  return [
    rule('EtcdWalFsyncSlow', 'warning', `${fsync} > ${num(t.walFsyncWarnSeconds)}`, '10m',
      'etcd WAL fsync is slow on {{ $labels.instance }}',
      `WAL fsync p99 on {{ $labels.instance }} is {{ $value | humanizeDuration }} over the last 5 minutes (guidance: under ${ms(t.walFsyncWarnSeconds)}). Every write waits for it; slow fsync delays heartbeats and causes elections.`,
      ADVICE.walFsync),
    rule('EtcdWalFsyncVerySlow', 'critical', `${fsync} > ${num(t.walFsyncCritSeconds)}`, '5m',
      'etcd WAL fsync is very slow on {{ $labels.instance }}',
      `WAL fsync p99 on {{ $labels.instance }} is {{ $value | humanizeDuration }} over the last 5 minutes (critical above ${ms(t.walFsyncCritSeconds)}): writes stall and leader elections follow.`,
      ADVICE.walFsync),
    rule('EtcdBackendCommitSlow', 'warning', `${commit} > ${num(t.backendCommitWarnSeconds)}`, '10m',
      'etcd backend commit is slow on {{ $labels.instance }}',
      `Backend commit p99 on {{ $labels.instance }} is {{ $value | humanizeDuration }} over the last 5 minutes (guidance: under ${ms(t.backendCommitWarnSeconds)}).`,
      ADVICE.backendCommit),
    rule('EtcdBackendCommitVerySlow', 'critical', `${commit} > ${num(t.backendCommitCritSeconds)}`, '5m',
      'etcd backend commit is very slow on {{ $labels.instance }}',
      `Backend commit p99 on {{ $labels.instance }} is {{ $value | humanizeDuration }} over the last 5 minutes (critical above ${ms(t.backendCommitCritSeconds)}).`,
      ADVICE.backendCommit),
    rule('EtcdDatabaseQuotaNearlyFull', 'warning', `${size} / ${quota} > ${num(t.quotaWarnPercent / 100)}`, '10m',
      'etcd database on {{ $labels.instance }} is {{ $value | humanizePercentage }} of its quota',
      `The database on {{ $labels.instance }} uses {{ $value | humanizePercentage }} of --quota-backend-bytes (warning above ${t.quotaWarnPercent}%). At 100% etcd raises NOSPACE and refuses every write.`,
      ADVICE.quota),
    rule('EtcdDatabaseQuotaFull', 'critical', `${size} / ${quota} > ${num(t.quotaCritPercent / 100)}`, '5m',
      'etcd database on {{ $labels.instance }} is {{ $value | humanizePercentage }} of its quota',
      `The database on {{ $labels.instance }} uses {{ $value | humanizePercentage }} of --quota-backend-bytes (critical above ${t.quotaCritPercent}%): NOSPACE is close, and then etcd refuses every write.`,
      ADVICE.quota),
    rule('EtcdDatabaseLarge', 'warning', `${size} > ${num(t.dbSizeBytes)}`, '15m',
      'etcd database on {{ $labels.instance }} is {{ $value | humanize1024 }}B',
      `The database on {{ $labels.instance }} is {{ $value | humanize1024 }}B (warning above ${bytes(t.dbSizeBytes)}): snapshots, restarts and defragmentation get slow.`,
      ADVICE.dbSize),
    rule('EtcdDatabaseFragmented', 'warning',
      `(1 - ${inUse} / ${size}) > ${num(t.fragmentationPercent / 100)} and ${inUse} > ${num(t.fragmentationMinInUseBytes)}`, '30m',
      'etcd database on {{ $labels.instance }} is {{ $value | humanizePercentage }} fragmented',
      `{{ $value | humanizePercentage }} of the database file on {{ $labels.instance }} is free space left by compaction (warning above ${t.fragmentationPercent}% while more than ${bytes(t.fragmentationMinInUseBytes)} is in use). It counts against the quota until defragmented.`,
      ADVICE.defragment),
    rule('EtcdDatabaseGrowthExcessive', 'warning',
      `predict_linear(${size}[${t.growthHours}h], ${t.growthHours} * 3600) > ${quota}`, '10m',
      `etcd database on {{ $labels.instance }} will reach its quota within ${t.growthHours} hours`,
      `Growing as in the last ${t.growthHours} hours, the database on {{ $labels.instance }} reaches {{ $value | humanize1024 }}B in ${t.growthHours} hours, above its quota: etcd will raise NOSPACE and refuse writes.`,
      ADVICE.growth),
    rule('EtcdNoLeader', 'critical', `etcd_server_has_leader{${s}} == 0`, '1m',
      'etcd member {{ $labels.instance }} has no leader',
      'Member {{ $labels.instance }} has had no leader for a minute: it serves no writes and no linearizable reads.',
      ADVICE.noLeader),
    rule('EtcdFrequentLeaderChanges', 'warning',
      `max by (job) (increase(etcd_server_leader_changes_seen_total{${s}}[1h])) > ${num(t.leaderChangesPerHour)}`, '5m',
      'etcd cluster {{ $labels.job }}: {{ $value | humanize }} leader changes in the last hour',
      `The leader of {{ $labels.job }} changed {{ $value | humanize }} times in the last hour (warning above ${num(t.leaderChangesPerHour)}). Each election stalls writes; they come from missed heartbeats.`,
      ADVICE.leaderChanges),
    rule('EtcdMemberDown', 'warning', `up{${s}} == 0`, '3m',
      'etcd member {{ $labels.instance }} is down',
      'Prometheus has not been able to scrape {{ $labels.instance }} for 3 minutes: the member is down or unreachable. The cluster still has quorum while a majority is up.',
      ADVICE.memberDown),
    rule('EtcdInsufficientMembers', 'critical',
      `sum by (job) (up{${s}} == bool 1) < floor(count by (job) (up{${s}}) / 2) + 1`, '3m',
      'etcd cluster {{ $labels.job }} has lost quorum',
      'Members of {{ $labels.job }} up: {{ $value }}, fewer than a majority of the members Prometheus scrapes: the cluster has lost quorum and takes no writes.',
      ADVICE.memberDown),
    rule('EtcdFailedProposals', 'warning',
      `increase(etcd_server_proposals_failed_total{${s}}[1h]) > ${num(t.failedProposalsPerHour)}`, '5m',
      'etcd member {{ $labels.instance }}: {{ $value | humanize }} failed proposals in the last hour',
      `{{ $value | humanize }} proposals failed on {{ $labels.instance }} in the last hour (warning above ${num(t.failedProposalsPerHour)}): writes were lost to elections or lost quorum and had to be retried.`,
      ADVICE.proposalsFailed),
    rule('EtcdSlowGrpc', 'warning',
      `histogram_quantile(0.99, sum by (job, instance, grpc_service, grpc_method, le) (rate(grpc_server_handling_seconds_bucket{${s}, grpc_type="unary", grpc_method!="Defragment"}[5m]))) > ${num(t.slowGrpcSeconds)}`, '10m',
      'etcd {{ $labels.grpc_method }} requests are slow on {{ $labels.instance }}',
      `gRPC {{ $labels.grpc_service }}/{{ $labels.grpc_method }} p99 on {{ $labels.instance }} is {{ $value | humanizeDuration }} over the last 5 minutes (warning above ${ms(t.slowGrpcSeconds)}; Defragment, slow by nature, is left out; needs etcd's --metrics=extensive).`,
      ADVICE.slowRequests),
    rule('EtcdPeerRttSlow', 'warning',
      `histogram_quantile(0.99, sum by (job, instance, To, le) (rate(etcd_network_peer_round_trip_time_seconds_bucket{${s}}[5m]))) > ${num(t.peerRttSeconds)}`, '10m',
      'etcd peer round trips from {{ $labels.instance }} to {{ $labels.To }} are slow',
      `Peer RTT p99 from {{ $labels.instance }} to member {{ $labels.To }} is {{ $value | humanizeDuration }} over the last 5 minutes (warning above ${ms(t.peerRttSeconds)}). Heartbeats ride on it: keep --heartbeat-interval near the worst RTT and --election-timeout at least 10x that.`,
      ADVICE.peerRtt),
  ];
}
