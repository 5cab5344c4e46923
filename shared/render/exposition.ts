// The exporter's /metrics: the last check's report model and the exporter's own health in Prometheus' text format
// (0.0.4). Names follow Prometheus' conventions: the etcd_perf_ prefix, base units (_bytes, _seconds, _ratio), a
// `member` label for what is about one member; a figure the report does not have is left out, never written as NaN.
// Findings are one series each (id, severity, category, member): the fleet's alert rules key on them.

import type { CheckReport, MemberReport } from '../analyse/report.ts';
import type { Severity } from '../analyse/finding.ts';

/** What the exporter knows of itself: its collections so far and how the last one went. */
export interface ExporterHealth {
  version: string;
  collections: number;
  /** Failed reads by cause: a member's (auth, tls, timeout, refused, ...) or the whole collection's. */
  errorsByCause: Record<string, number>;
  lastDurationSeconds: number | null;
  lastSuccess: boolean | null;
  /** Unix seconds of the last collection that reached a member. */
  lastSuccessTime: number | null;
  intervalSeconds: number;
}

type Labels = Record<string, string>;
type Sample = [labels: Labels, value: number | null | undefined];

const SEVERITIES: readonly Severity[] = ['ok', 'info', 'warn', 'crit'];
const STATUSES = ['healthy', 'degraded', 'critical'] as const;

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function number(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
}

/** One metric family: HELP, TYPE and its samples (those without a value left out; a family with none is left out). */
function family(name: string, type: 'gauge' | 'counter', help: string, samples: readonly Sample[]): string {
  const known = samples.filter((s): s is [Labels, number] => typeof s[1] === 'number');
  if (known.length === 0) return '';
  const lines = known.map(([labels, value]) => {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',');
    return `${name}${pairs ? `{${pairs}}` : ''} ${number(value)}`;
  });
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${lines.join('\n')}\n`;
}

const flag = (value: boolean | null | undefined): number | null => (value === null || value === undefined ? null : value ? 1 : 0);
const seconds = (iso: string): number => Date.parse(iso) / 1000;

function memberLabel(m: MemberReport): Labels {
  return { member: m.name || m.endpoint };
}

function perMember(report: CheckReport, value: (m: MemberReport) => number | null | undefined): Sample[] {
  return report.members.map((m) => [memberLabel(m), value(m)]);
}

function clusterFamilies(report: CheckReport): string[] {
  const worst = report.verdict.status;
  const last = report.lastMaintenance?.recorded ?? null;
  const duration = last ? (Date.parse(last.finishedAt) - Date.parse(last.startedAt)) / 1000 : null;
  return [
    family('etcd_perf_cluster_info', 'gauge', 'The cluster the exporter reads (value 1), by its id.',
      [[{ cluster_id: report.cluster.id ?? '' }, 1]]),
    family('etcd_perf_verdict', 'gauge', 'The verdict of the last check: 1 for its status (healthy, degraded or critical), 0 for the others.',
      STATUSES.map((status) => [{ status }, status === worst ? 1 : 0])),
    family('etcd_perf_bottleneck', 'gauge', 'The likely bottleneck of the last check (value 1): disk, network, capacity, overload, membership, observability, version or none.',
      [[{ bottleneck: report.verdict.bottleneck }, 1]]),
    family('etcd_perf_findings', 'gauge', 'How many findings of each severity the last check made.',
      SEVERITIES.map((severity) => [{ severity }, report.findings.filter((f) => f.severity === severity).length])),
    family('etcd_perf_finding', 'gauge', 'One series per finding of the last check that is not ok (value 1): its id, severity, category and member ("" for the cluster). The recommendation is in /report.',
      report.findings.filter((f) => f.severity !== 'ok').map((f) => [{ id: f.id, severity: f.severity, category: f.category, member: f.member ?? '' }, 1])),
    family('etcd_perf_window_seconds', 'gauge', 'The window the latencies and counters were measured over (0: lifetime counters).',
      [[{}, report.window.lifetime ? 0 : report.window.seconds]]),
    family('etcd_perf_last_maintenance_timestamp_seconds', 'gauge', 'When the last maintenance recorded in etcd ended (any runner: the CronJob, a person, the extension).',
      [[{}, last ? seconds(last.finishedAt) : null]]),
    family('etcd_perf_last_maintenance_success', 'gauge', 'Whether the last maintenance did all it set out to do (1), or was refused, stopped or cancelled (0).',
      [[{ outcome: last?.outcome ?? '' }, last ? flag(last.outcome === 'done') : null]]),
    family('etcd_perf_last_maintenance_freed_bytes', 'gauge', 'Bytes the last maintenance\'s defragmentation gave back, over every member.',
      [[{}, last?.freedBytes]]),
    family('etcd_perf_last_maintenance_duration_seconds', 'gauge', 'How long the last maintenance took.', [[{}, duration]]),
  ];
}

function memberFamilies(report: CheckReport): string[] {
  const p99 = (pick: (m: NonNullable<MemberReport['metrics']>) => number | null) => (m: MemberReport): number | null => (m.metrics ? pick(m.metrics) : null);
  return [
    family('etcd_perf_member_info', 'gauge', 'Each member (value 1): id, client endpoint, version and role (leader, follower, learner, down).',
      report.members.map((m) => [{ ...memberLabel(m), id: m.id, endpoint: m.endpoint, version: m.version ?? '', role: m.role }, 1])),
    family('etcd_perf_member_up', 'gauge', 'Whether the member answered the last check (its status or a health read).',
      perMember(report, (m) => flag(m.role !== 'down'))),
    family('etcd_perf_member_healthy', 'gauge', 'Whether the member passed the linearizable health read.', perMember(report, (m) => flag(m.healthy))),
    family('etcd_perf_member_is_leader', 'gauge', 'Whether the member leads the cluster.', perMember(report, (m) => flag(m.isLeader))),
    family('etcd_perf_db_size_bytes', 'gauge', 'Size of the member\'s DB file.', perMember(report, (m) => m.dbSize)),
    family('etcd_perf_db_size_in_use_bytes', 'gauge', 'Bytes of the member\'s DB file in use (the rest is free pages left by compaction).', perMember(report, (m) => m.dbSizeInUse)),
    family('etcd_perf_db_fragmentation_ratio', 'gauge', 'Share of the DB file that is free pages (0-1).',
      perMember(report, (m) => (m.fragmentationPercent === null ? null : m.fragmentationPercent / 100))),
    family('etcd_perf_db_freeable_bytes', 'gauge', 'What a defragmentation of the member would give back.', perMember(report, (m) => m.freeableBytes)),
    family('etcd_perf_quota_bytes', 'gauge', 'The backend quota the member applies (absent when it does not say: etcd\'s 2 GiB default then applies).', perMember(report, (m) => m.quotaBytes)),
    family('etcd_perf_quota_used_ratio', 'gauge', 'DB size as a share of the quota (0-1; at 1 etcd raises NOSPACE).',
      perMember(report, (m) => (m.quotaUsedPercent === null ? null : m.quotaUsedPercent / 100))),
    family('etcd_perf_apply_lag_entries', 'gauge', 'Committed raft entries the member has not applied yet.', perMember(report, (m) => m.applyLag)),
    family('etcd_perf_alarm', 'gauge', 'An alarm the member raised (value 1): NOSPACE or CORRUPT.',
      report.members.flatMap((m) => m.alarms.map((alarm): Sample => [{ ...memberLabel(m), alarm }, 1]))),
    family('etcd_perf_wal_fsync_p99_seconds', 'gauge', 'WAL fsync p99 over the window.', perMember(report, p99((x) => x.walFsyncP99Seconds))),
    family('etcd_perf_backend_commit_p99_seconds', 'gauge', 'Backend commit p99 over the window.', perMember(report, p99((x) => x.backendCommitP99Seconds))),
    family('etcd_perf_peer_rtt_p99_seconds', 'gauge', 'Peer round-trip p99 over the window, to any peer.', perMember(report, p99((x) => x.peerRttP99Seconds))),
    family('etcd_perf_request_p99_seconds', 'gauge', 'Client request p99 over the window, as the server times it (where it is served).', perMember(report, p99((x) => x.requestP99Seconds))),
    family('etcd_perf_window_leader_changes', 'gauge', 'Leader changes the member saw over the window.', perMember(report, p99((x) => x.leaderChanges))),
    family('etcd_perf_window_proposals_failed', 'gauge', 'Proposals that failed over the window.', perMember(report, p99((x) => x.proposalsFailed))),
    family('etcd_perf_proposals_pending', 'gauge', 'Proposals waiting for commit as the window ended.', perMember(report, p99((x) => x.proposalsPending))),
  ];
}

function healthFamilies(health: ExporterHealth, report: CheckReport | null): string[] {
  return [
    family('etcd_perf_exporter_info', 'gauge', 'The exporter (value 1): its version and collection interval.',
      [[{ version: health.version, interval_seconds: String(health.intervalSeconds) }, 1]]),
    family('etcd_perf_up', 'gauge', 'Whether the last collection reached at least one member (0 also before the first one ends).',
      [[{}, report && health.lastSuccess ? 1 : 0]]),
    family('etcd_perf_collections_total', 'counter', 'Collections finished since the exporter started.', [[{}, health.collections]]),
    family('etcd_perf_collection_errors_total', 'counter', 'Failed reads since the exporter started, by cause: a member\'s (auth, forbidden, tls, timeout, refused, not-etcd, other) or the whole collection\'s.',
      Object.entries(health.errorsByCause).map(([cause, n]): Sample => [{ cause }, n])),
    family('etcd_perf_last_collection_duration_seconds', 'gauge', 'How long the last collection took, its window included.', [[{}, health.lastDurationSeconds]]),
    family('etcd_perf_last_collection_success', 'gauge', 'Whether the last collection reached at least one member.', [[{}, flag(health.lastSuccess)]]),
    family('etcd_perf_last_success_timestamp_seconds', 'gauge', 'When the last collection that reached a member ended.', [[{}, health.lastSuccessTime]]),
  ];
}

/** The text of /metrics: the exporter's health always; the cluster's figures once a collection has a report. */
export function renderExposition(report: CheckReport | null, health: ExporterHealth): string {
  const parts = [...healthFamilies(health, report), ...(report ? [...clusterFamilies(report), ...memberFamilies(report)] : [])];
  return parts.filter(Boolean).join('');
}

/** The exporter's own process, as Prometheus' client libraries name it, read at each scrape. */
export interface ProcessStats {
  residentBytes: number;
  cpuSeconds: number;
  startTimeSeconds: number;
  heapUsedBytes: number;
}

export function renderProcessFamilies(stats: ProcessStats): string {
  return [
    family('process_resident_memory_bytes', 'gauge', 'Resident memory of the exporter\'s process.', [[{}, stats.residentBytes]]),
    family('process_cpu_seconds_total', 'counter', 'CPU time (user and system) the exporter\'s process has used.', [[{}, stats.cpuSeconds]]),
    family('process_start_time_seconds', 'gauge', 'When the exporter\'s process started, in Unix seconds.', [[{}, stats.startTimeSeconds]]),
    family('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use by the exporter\'s process.', [[{}, stats.heapUsedBytes]]),
  ].join('');
}
