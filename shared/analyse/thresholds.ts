// The numbers every rule compares against, in one place. Sources: etcd's tuning and hardware guides, the seed article,
// and etcd's own limits (5000 = etcd's maxGapBetweenApplyAndCommitIndex, after which it rejects requests).

import { GiB, MiB } from '../util/bytes.ts';

export const THRESHOLDS = {
  walFsyncP99WarnSeconds: 0.010,
  walFsyncP99CritSeconds: 0.100,
  backendCommitP99WarnSeconds: 0.025,
  backendCommitP99CritSeconds: 0.250,
  /** Client requests as the server times them (the etcd mixin's gRPC alert line: 150 ms). */
  requestP99WarnSeconds: 0.150,
  requestP99CritSeconds: 1,
  /** Peer RTT p99 against the heartbeat interval: warn above it, crit above half the default election timeout ratio. */
  peerRttWarnFactorOfHeartbeat: 1,
  peerRttCritFactorOfHeartbeat: 5,
  quotaUsedWarnPercent: 80,
  quotaUsedCritPercent: 95,
  dbSizeWarnBytes: 8 * GiB,
  fragmentationWarnPercent: 50,
  fragmentationMinFreeableBytes: 100 * MiB,
  applyLagWarn: 1000,
  applyLagCrit: 5000,
  proposalsPendingWarn: 50,
  leaderChangesPerHourWarn: 3,
  residentMemoryWarnBytes: 6 * GiB,
  defaultQuotaBytes: 2 * GiB,
  /**
   * Observations a p99 must rest on to be a warning: it is the value 1 in 100 exceed, so under 100 observations it is
   * only the slowest few seen (from 1 fsync, that one fsync). Fewer inform, pointing to a longer window or Prometheus.
   */
  minObservationsForP99: 100,
} as const;

export interface AnalysisOptions {
  /** The cluster's --heartbeat-interval in ms (etcd's default is 100). */
  heartbeatMs: number;
  /** The cluster's --election-timeout in ms (etcd's default is 1000), when no member flags say. */
  electionMs?: number;
}

export const DEFAULT_ANALYSIS: AnalysisOptions = { heartbeatMs: 100 };
