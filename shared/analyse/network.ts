// The network between members and the raft timing it calls for: peer RTT p50/p99 for every member pair (from each
// member's etcd_network_peer_round_trip_time_seconds by peer), the heartbeat interval and election timeout that RTT
// needs (heartbeat about the worst p99 RTT, rounded up to 10 ms; election timeout >= 10x the RTT and >= 5x the
// heartbeat, rounded up to 100 ms), and the current values checked against those rules. Pure.

import type { ClusterSnapshot } from '../collect/types.ts';
import type { Finding } from './finding.ts';
import type { AnalysisOptions } from './thresholds.ts';
import { compareNames } from '../util/names.ts';

export interface PeerPair {
  from: string;
  to: string;
  p50Ms: number | null;
  p99Ms: number;
  probes: number;
  /** True when no probe fell inside the window: lifetime figures. */
  lifetime: boolean;
}

export interface TimingAdvice {
  worstRttP99Ms: number | null;
  heartbeatMs: number;
  electionMs: number;
  /** Where the current values come from: the members' own flags (Kubernetes) or the --heartbeat-interval/--election-timeout given to us. */
  timingFrom: 'member flags' | 'assumed';
  recommendedHeartbeatMs: number | null;
  recommendedElectionMs: number | null;
  /** The rules the current values break, in words; empty when they are fine. */
  problems: string[];
}

export interface NetworkReport {
  pairs: PeerPair[];
  timing: TimingAdvice;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export function peerPairs(cluster: ClusterSnapshot): PeerPair[] {
  const nameOf = (id: string): string => cluster.members.find((m) => m.member.id === id)?.member.name || id;
  return cluster.members.flatMap((m) => {
    const quantiles = m.metrics?.quantiles;
    if (!quantiles) return [];
    return Object.entries(quantiles.peerRttByPeer).map(([peer, q99]) => {
      const q50 = quantiles.peerRttP50ByPeer[peer];
      return {
        from: m.member.name || m.endpoint, to: nameOf(peer), p50Ms: q50 ? round(q50.value * 1000) : null,
        p99Ms: round(q99.value * 1000), probes: q99.samples, lifetime: q99.lifetime,
      };
    });
  }).sort((a, b) => compareNames(a.from, b.from) || compareNames(a.to, b.to));
}

/** The heartbeat and election timeout the members run with: their flags when every pod says the same, else the options. */
function currentTiming(cluster: ClusterSnapshot, options: AnalysisOptions): Pick<TimingAdvice, 'heartbeatMs' | 'electionMs' | 'timingFrom'> {
  const pods = cluster.deployment?.pods ?? [];
  const flag = (name: string, fallback: number): number | undefined => {
    const values = new Set(pods.map((p) => Number(p.flags[name] ?? fallback)));
    return values.size === 1 ? [...values][0] : undefined;
  };
  const heartbeat = pods.length ? flag('heartbeat-interval', 100) : undefined;
  const election = pods.length ? flag('election-timeout', 1000) : undefined;
  if (heartbeat !== undefined && election !== undefined) return { heartbeatMs: heartbeat, electionMs: election, timingFrom: 'member flags' };
  return { heartbeatMs: options.heartbeatMs, electionMs: options.electionMs ?? 1000, timingFrom: 'assumed' };
}

export function recommendedTiming(worstRttP99Ms: number): { heartbeatMs: number; electionMs: number } {
  const heartbeatMs = Math.max(10, Math.ceil(worstRttP99Ms / 10) * 10);
  return { heartbeatMs, electionMs: Math.ceil(Math.max(10 * worstRttP99Ms, 5 * heartbeatMs) / 100) * 100 };
}

export function networkReport(cluster: ClusterSnapshot, options: AnalysisOptions): NetworkReport {
  const pairs = peerPairs(cluster);
  const worst = pairs.length ? Math.max(...pairs.map((p) => p.p99Ms)) : null;
  const current = currentTiming(cluster, options);
  const recommended = worst === null ? null : recommendedTiming(worst);
  const problems: string[] = [];
  if (worst !== null && current.heartbeatMs < worst) problems.push(`heartbeat ${current.heartbeatMs} ms is shorter than the worst peer RTT p99 ${worst} ms`);
  if (worst !== null && current.electionMs < 10 * worst) problems.push(`election timeout ${current.electionMs} ms is less than 10x the worst peer RTT p99 ${worst} ms`);
  if (current.electionMs < 5 * current.heartbeatMs) problems.push(`election timeout ${current.electionMs} ms is less than 5x the heartbeat ${current.heartbeatMs} ms`);
  return {
    pairs,
    timing: {
      worstRttP99Ms: worst, ...current,
      recommendedHeartbeatMs: recommended?.heartbeatMs ?? null, recommendedElectionMs: recommended?.electionMs ?? null, problems,
    },
  };
}

/**
 * Election timeout too short for the heartbeat or the RTT, as given to us. (A heartbeat shorter than the RTT is
 * peer-rtt's finding; with the members' own flags known, config-election-timeout and config-timing-rtt judge them.)
 */
export function timingFindings(cluster: ClusterSnapshot, options: AnalysisOptions): Finding[] {
  const { timing } = networkReport(cluster, options);
  const problems = timing.problems.filter((p) => p.startsWith('election timeout'));
  if (problems.length === 0 || timing.timingFrom === 'member flags') return [];
  const wantHeartbeat = Math.max(timing.heartbeatMs, timing.recommendedHeartbeatMs ?? 0);
  const wantElection = Math.max(timing.electionMs, timing.recommendedElectionMs ?? 0, Math.ceil((5 * wantHeartbeat) / 100) * 100);
  return [{
    id: 'election-timeout', category: 'network', severity: 'warn',
    title: `election timeout ${timing.electionMs} ms (as given with --election-timeout) is too short`,
    value: timing.electionMs, threshold: wantElection,
    evidence: problems.join('; '),
    recommendation: `Followers start elections after missing heartbeats for the election timeout: set --election-timeout=${wantElection} (and --heartbeat-interval=${wantHeartbeat}) on every member.`,
  }];
}
