// Plain data the collectors return: what each member said, or why it could not be asked. No analysis here.

import type { Alarm, DeploymentReading, MemberInfo, MemberStatus, PodFacts } from '../connect/types.ts';
import type { LastMaintenance } from './maintenance-record.ts';
import type { KeyspaceReport } from './keyspace.ts';
import type { LogEvent, LogSummary, ParsedLog } from './etcd-log.ts';
import type { MemberMetrics } from './member-metrics.ts';
import type { Readiness } from './metrics.ts';

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
  /** /readyz?verbose: null when the member does not serve it (before 3.4.29 / 3.5.11); absent when not read. */
  readiness?: Readiness | null;
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
  /** The last maintenance recorded in etcd (check, the exporter), or why it could not be read. */
  lastMaintenance?: LastMaintenance;
}

/** One etcd pod as the API server describes it, and what its log says. */
export interface PodWithLog extends PodFacts {
  log?: LogSummary;
  /** The signs of trouble behind `log`, one by one (for the report's timeline). */
  logEvents?: LogEvent[];
  logError?: string;
}

/** How the members are deployed (Kubernetes), their logs read over `logSeconds`. */
export interface DeploymentFacts extends DeploymentReading {
  pods: PodWithLog[];
  /** How far back the logs were read. */
  logSeconds: number;
}
