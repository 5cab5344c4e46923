// Plain data the collectors return: what each member said, or why it could not be asked. No analysis here.

import type { KeyspaceReport } from './keyspace.ts';
import type { LogEvent, LogSummary, ParsedLog } from './etcd-log.ts';
import type { MemberMetrics } from './member-metrics.ts';

export interface MemberInfo {
  /** Lowercase hex, as etcdctl prints it. */
  id: string;
  name: string;
  clientUrls: string[];
  peerUrls: string[];
  isLearner: boolean;
}

export interface MemberStatus {
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  leaderId: string;
  raftTerm: number;
  raftIndex: number;
  raftAppliedIndex: number;
  errors: string[];
  isLearner: boolean;
  revision: number;
  clusterId: string;
  memberId: string;
}

export interface Alarm {
  memberId: string;
  alarm: 'NOSPACE' | 'CORRUPT' | string;
}

export interface MemberSnapshot {
  member: MemberInfo;
  endpoint: string;
  metricsUrl: string;
  /** Set when the member could not be reached at all (dial failed). */
  error?: string;
  status?: MemberStatus;
  statusError?: string;
  healthy: boolean;
  healthError?: string;
  healthTookMs?: number;
  metrics?: MemberMetrics;
  metricsError?: string;
}

export interface ClusterSnapshot {
  clusterId: string | null;
  members: MemberSnapshot[];
  alarms: Alarm[];
  /** True when no member could tell its alarms (etcd 3.4 reads them through raft; not during an election). */
  alarmsUnknown?: boolean;
  /** Where the member list came from, or why it could not be read. */
  memberListFrom?: string;
  memberListError?: string;
  /** The metrics' window; `from` names where they came from when not scraped from the members (Prometheus). */
  window: { seconds: number; lifetime: boolean; from?: string };
  collectedAt: string;
  /** How the members are deployed, when the transport can tell (Kubernetes: pod specs, events, logs, usage). */
  deployment?: DeploymentFacts;
  /** With check --deep: what fills the keyspace, or why it could not be walked. */
  keyspace?: KeyspaceReport | { error: string };
  /** etcd log files given to check or report (--log), read into their events. */
  logFiles?: ParsedLog[];
}

export interface PodEventSummary {
  type: string;
  reason: string;
  message: string;
  count: number;
  last?: string;
}

/** One etcd pod: its spec (flags, resources, volumes), its state, events, usage and what its log says. */
export interface PodFacts {
  pod: string;
  namespace: string;
  node: string;
  /** The member's name (--name), as the member list says it. */
  member: string;
  endpoint: string;
  running: boolean;
  state: string;
  restarts: number;
  lastTermination?: string;
  flags: Record<string, string>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  mounts: { mountPath: string; source: string; hostPath?: string }[];
  nodeMemoryBytes?: number;
  usage?: { cpuCores: number; memoryBytes: number };
  events: PodEventSummary[];
  log?: LogSummary;
  /** The signs of trouble behind `log`, one by one (for the report's timeline). */
  logEvents?: LogEvent[];
  logError?: string;
}

export interface DeploymentFacts {
  kind: 'kubernetes';
  context: string;
  namespace: string;
  pods: PodFacts[];
  /** How far back the logs were read. */
  logSeconds: number;
  /** Why pod CPU and memory are unknown (no metrics API, or not allowed). */
  usageError?: string;
  eventsError?: string;
  nodesError?: string;
}
