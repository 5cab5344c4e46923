// The report model: the JSON contract of `check -o json` (documented in the README), built from a snapshot and its
// analysis. Every renderer and both doors work from this, never from RPC responses.

import type { LogSummary, ParsedLog } from '../collect/etcd-log.ts';
import type { LastMaintenance } from '../collect/maintenance-record.ts';
import type { KeyspaceReport } from '../collect/keyspace.ts';
import type { WindowedQuantile } from '../collect/member-metrics.ts';
import type { ClusterSnapshot, DeploymentFacts, MemberSnapshot } from '../collect/types.ts';
import { analyse, verdict, type Verdict } from './analyse.ts';
import type { Finding } from './finding.ts';
import { analyseParsedLogs, type LogsReport } from './logs.ts';
import {
  knownQuota,
  agreedLeaderId, applyLag, freeableBytes, quotaUsedPercent, clusterRevision, failureOf, fragmentationPercent, highestCommitted, nothingAnswered, roleOf,
  type ClusterFailure, type MemberFailure, type MemberRole,
} from './members.ts';
import { networkReport, type NetworkReport } from './network.ts';
import { DEFAULT_ANALYSIS, type AnalysisOptions } from './thresholds.ts';
import { compareNames } from '../util/names.ts';

export interface QuantileReport {
  value: number;
  bucketLower: number;
  /** null when the quantile lies in the +Inf bucket. */
  bucketUpper: number | null;
  samples: number;
  lifetime: boolean;
}

export interface MemberMetricsReport {
  walFsyncP99Seconds: number | null;
  backendCommitP99Seconds: number | null;
  peerRttP99Seconds: number | null;
  leaderChanges: number | null;
  proposalsFailed: number | null;
  proposalsPending: number | null;
  proposalsCommittedPerSecond: number | null;
  slowApplies: number | null;
  heartbeatSendFailures: number | null;
  residentMemoryBytes: number | null;
  /** Client request p99 as the server times it, where it comes from (or why it is not served), and 3.6+'s gates. */
  requestP99Seconds: number | null;
  requestLatencyFrom: string;
  featureGates: Record<string, boolean> | null;
  quantiles: {
    walFsync: QuantileReport | null; backendCommit: QuantileReport | null; peerRtt: QuantileReport | null; request: QuantileReport | null;
    peerRttByPeer: Record<string, QuantileReport>;
  };
}

export interface MemberReport {
  id: string;
  name: string;
  endpoint: string;
  version: string | null;
  /** leader, follower, learner, or down (neither its status nor a health read came back). */
  role: MemberRole;
  healthy: boolean;
  error: string | null;
  /** Why it failed (auth, forbidden, tls, timeout, refused, not-etcd, other) and what to check; null without an error. */
  failure: MemberFailure | null;
  isLeader: boolean;
  isLearner: boolean;
  dbSize: number | null;
  dbSizeInUse: number | null;
  fragmentationPercent: number | null;
  /** What a defragmentation would give back (dbSize - dbSizeInUse). */
  freeableBytes: number | null;
  quotaBytes: number | null;
  /** dbSize as a percentage of the quota the member applies (etcd's 2 GiB default when it does not say; see db-quota). */
  quotaUsedPercent: number | null;
  /** 3.6+: the version of the member's database file. */
  storageVersion: string | null;
  /** What its /readyz says (null: not served before 3.4.29 / 3.5.11, or not read). */
  ready: boolean | null;
  raftTerm: number | null;
  raftIndex: number | null;
  raftAppliedIndex: number | null;
  /** Entries committed (the highest raft index of any member) that this member has not applied yet. */
  applyLag: number | null;
  alarms: string[];
  metrics: MemberMetricsReport | null;
}

export interface PodReport {
  pod: string;
  member: string;
  node: string;
  state: string;
  restarts: number;
  /** From the metrics API; null when it is not served (see usageError). */
  cpuCores: number | null;
  memoryBytes: number | null;
  warningEvents: number;
  /** Signs of trouble in the pod's log over `logSeconds`: count, first and last time, worst duration. */
  log: LogSummary['events'] | null;
}

/** Present when the members were reached through Kubernetes. */
export interface KubernetesReport {
  context: string;
  namespace: string;
  logSeconds: number;
  usageError: string | null;
  pods: PodReport[];
}

export interface CheckReport {
  cluster: { id: string | null; leaderId: string | null; revision: number | null; memberCount: number };
  members: MemberReport[];
  findings: Finding[];
  verdict: Verdict;
  window: { seconds: number; lifetime: boolean; from?: string };
  collectedAt: string;
  /** Peer RTT for every member pair, and the raft timing it calls for. */
  network: NetworkReport;
  kubernetes?: KubernetesReport;
  /** With --deep: what fills the keyspace (see keyspace -o json), or why it could not be walked. */
  keyspace?: KeyspaceReport | { error: string };
  /** The members' logs (the etcd pods through Kubernetes, files given with --log): the timeline of the signs of
   * trouble and the slowest requests (see logs -o json; their findings are among `findings`). */
  logs?: Omit<LogsReport, 'findings'>;
  /** check (not status): the last maintenance recorded in etcd by the run itself (null: none yet), or why it could not be read. */
  lastMaintenance?: LastMaintenance;
}

/** Every log the snapshot read: the etcd pods' (through Kubernetes) and the files given with --log. */
function logsReport(snapshot: ClusterSnapshot): CheckReport['logs'] | undefined {
  const pods: ParsedLog[] = (snapshot.deployment?.pods ?? []).filter((p) => p.log && p.logEvents).map((p) => ({
    name: `pod ${p.namespace}/${p.pod}`, events: p.logEvents ?? [], lines: p.log?.lines ?? 0, format: p.log?.format ?? 'empty', recognised: true,
  }));
  const sources = [...pods, ...(snapshot.logFiles ?? [])];
  if (sources.length === 0) return undefined;
  const { sources: read, slowestRequests, timeline } = analyseParsedLogs(sources);
  return { sources: read, slowestRequests, timeline };
}

function kubernetesReport(deployment: DeploymentFacts): KubernetesReport {
  return {
    context: deployment.context,
    namespace: deployment.namespace,
    logSeconds: deployment.logSeconds,
    usageError: deployment.usageError ?? null,
    pods: deployment.pods.map((p) => ({
      pod: p.pod, member: p.member, node: p.node, state: p.state, restarts: p.restarts,
      cpuCores: p.usage ? Number(p.usage.cpuCores.toFixed(3)) : null, memoryBytes: p.usage?.memoryBytes ?? null,
      warningEvents: p.events.filter((e) => e.type === 'Warning').reduce((n, e) => n + e.count, 0),
      log: p.log?.events ?? null,
    })),
  };
}

function quantile(q: WindowedQuantile | undefined): QuantileReport | null {
  if (!q) return null;
  return { value: q.value, bucketLower: q.bucketLower, bucketUpper: Number.isFinite(q.bucketUpper) ? q.bucketUpper : null, samples: q.samples, lifetime: q.lifetime };
}

function memberReport(m: MemberSnapshot, snapshot: ClusterSnapshot, leaderId: string | null, committed: number): MemberReport {
  const s = m.status;
  const metrics = m.metrics;
  const role = roleOf(m, leaderId);
  const error = m.error ?? m.statusError ?? m.healthError ?? null;
  return {
    id: m.member.id,
    name: m.member.name,
    endpoint: m.endpoint,
    version: s?.version ?? null,
    role,
    healthy: m.healthy,
    error,
    failure: error === null ? null : failureOf(error),
    isLeader: role === 'leader',
    isLearner: s?.isLearner ?? m.member.isLearner,
    dbSize: s ? s.dbSize : null,
    dbSizeInUse: s ? s.dbSizeInUse : null,
    fragmentationPercent: s ? Number(fragmentationPercent(s.dbSize, s.dbSizeInUse).toFixed(2)) : null,
    freeableBytes: s ? freeableBytes(s.dbSize, s.dbSizeInUse) : null,
    quotaBytes: knownQuota(m),
    quotaUsedPercent: m.status ? Number((quotaUsedPercent(m) as number).toFixed(2)) : null,
    storageVersion: s?.storageVersion ?? null,
    ready: m.readiness ? m.readiness.ready : null,
    raftTerm: s?.raftTerm ?? null,
    raftIndex: s?.raftIndex ?? null,
    raftAppliedIndex: s?.raftAppliedIndex ?? null,
    applyLag: applyLag(m, committed),
    alarms: snapshot.alarms.filter((a) => a.memberId === m.member.id).map((a) => a.alarm),
    metrics: metrics ? {
      walFsyncP99Seconds: metrics.quantiles.walFsync?.value ?? null,
      backendCommitP99Seconds: metrics.quantiles.backendCommit?.value ?? null,
      peerRttP99Seconds: metrics.quantiles.peerRtt?.value ?? null,
      leaderChanges: metrics.leaderChanges,
      proposalsFailed: metrics.proposalsFailed,
      proposalsPending: metrics.proposalsPending,
      proposalsCommittedPerSecond: metrics.proposalsCommittedPerSecond,
      slowApplies: metrics.slowApplies,
      heartbeatSendFailures: metrics.heartbeatSendFailures,
      residentMemoryBytes: metrics.residentMemoryBytes,
      requestP99Seconds: metrics.quantiles.request?.value ?? null,
      requestLatencyFrom: metrics.requestLatencyFrom,
      featureGates: metrics.featureGates,
      quantiles: {
        walFsync: quantile(metrics.quantiles.walFsync),
        backendCommit: quantile(metrics.quantiles.backendCommit),
        peerRtt: quantile(metrics.quantiles.peerRtt),
        request: quantile(metrics.quantiles.request),
        peerRttByPeer: Object.fromEntries(Object.entries(metrics.quantiles.peerRttByPeer).map(([peer, q]) => [peer, quantile(q) as QuantileReport])),
      },
    } : null,
  };
}

export function buildReport(snapshot: ClusterSnapshot, options?: AnalysisOptions): CheckReport {
  const findings = analyse(snapshot, options);
  const leaderId = agreedLeaderId(snapshot.members);
  const committed = highestCommitted(snapshot.members);
  const logs = logsReport(snapshot);
  return {
    cluster: {
      id: snapshot.clusterId,
      leaderId,
      revision: clusterRevision(snapshot.members),
      memberCount: snapshot.members.length,
    },
    members: snapshot.members.map((m) => memberReport(m, snapshot, leaderId, committed))
      .sort((a, b) => compareNames(a.name || a.endpoint, b.name || b.endpoint)),
    findings,
    verdict: verdict(findings),
    window: snapshot.window,
    collectedAt: snapshot.collectedAt,
    network: networkReport(snapshot, options ?? DEFAULT_ANALYSIS),
    ...(snapshot.deployment ? { kubernetes: kubernetesReport(snapshot.deployment) } : {}),
    ...(snapshot.keyspace ? { keyspace: snapshot.keyspace } : {}),
    ...(logs ? { logs } : {}),
    ...(snapshot.lastMaintenance ? { lastMaintenance: snapshot.lastMaintenance } : {}),
  };
}

/** Why not one member answered (bad credentials, RBAC, or unreachable), when none did. */
export function reportFailure(report: CheckReport): ClusterFailure | undefined {
  return report.members.every((m) => m.role === 'down') ? nothingAnswered(report.members) : undefined;
}

/** The findings about one member that are worth a look (not ok). */
export function memberFindings(report: CheckReport, member: MemberReport): Finding[] {
  return report.findings.filter((f) => f.member === (member.name || member.endpoint) && f.severity !== 'ok');
}
