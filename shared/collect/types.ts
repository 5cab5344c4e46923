// Plain data the collectors return: what each member said, or why it could not be asked. No analysis here.

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
  window: { seconds: number; lifetime: boolean };
  collectedAt: string;
}
