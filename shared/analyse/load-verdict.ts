// The verdict of a load run: etcdctl check perf's PASS rule (no errors, throughput above 90% of the target, slowest
// request and standard deviation bounded), and the causes of a FAIL: findings over the members' metrics during the
// run and the CPU of the load generator, its machine and the members, each a finding of this catalogue. Pure.

import type { ClusterSnapshot } from '../collect/types.ts';
import { analyse } from './analyse.ts';
import { atLeast, type Finding } from './finding.ts';
import { memberName } from './members.ts';

/** check perf's PASS rule. */
export const PASS_RULE = { minThroughputOfTarget: 0.9, slowestMs: 500, stddevMs: 100 } as const;

/** check perf's PASS rule in words. */
export const PASS_RULE_TEXT = `no errors; throughput above ${PASS_RULE.minThroughputOfTarget * 100}% of the target rate; `
  + `slowest request <= ${PASS_RULE.slowestMs / 1000} s; standard deviation <= ${PASS_RULE.stddevMs / 1000} s`;

/** What the PASS rule reads of a run. */
export interface LoadFigures {
  /** Successful requests. */
  total: number;
  errors: number;
  errorsByCause: Record<string, number>;
  /** Successful requests per second. */
  throughput: number;
  targetRate: number | null;
  latency: { slowestMs: number; stddevMs: number };
}

/** The load generator's process, and the whole machine it ran on (busy share of all its cores over the run). */
export interface LoadClient {
  cpuCores: number;
  cores: number;
  cpuBound: boolean;
  machineBusy: number;
  stalls: ClientStalls;
}

/** The load generator's own stalls over a run: a request is only as fast as the event loop that reads its reply. */
export interface ClientStalls {
  eventLoopDelayMaxMs: number;
  /** Garbage-collection pauses (incremental marking steps excluded): the longest, and all of them together. */
  gcPauseMaxMs: number;
  gcTotalMs: number;
  /** When the slowest request was sent, in seconds from the start of the run. */
  slowestSentAtSeconds: number | null;
}

export type LoadCause = Pick<Finding, 'id' | 'severity' | 'member' | 'title' | 'recommendation'>;

/** check perf's PASS rule over a run's figures: PASS or FAIL per rule, and why. */
export function passRule(result: LoadFigures): { pass: boolean; reasons: string[] } {
  const reasons: string[] = [];
  let pass = true;
  if (result.errors > 0) {
    pass = false;
    reasons.push(`FAIL: ${result.errors} requests failed (${Object.entries(result.errorsByCause).map(([cause, n]) => `${n}x ${cause}`).join('; ')})`);
  }
  if (result.targetRate !== null) {
    const share = result.throughput / result.targetRate;
    if (share <= PASS_RULE.minThroughputOfTarget) {
      pass = false;
      reasons.push(`FAIL: throughput ${Math.round(result.throughput)}/s is ${(share * 100).toFixed(0)}% of the target ${result.targetRate}/s (needs more than ${PASS_RULE.minThroughputOfTarget * 100}%)`);
    } else {
      reasons.push(`PASS: throughput ${Math.round(result.throughput)}/s (target ${result.targetRate}/s)`);
    }
  }
  if (result.latency.slowestMs > PASS_RULE.slowestMs) {
    pass = false;
    reasons.push(`FAIL: slowest request took ${result.latency.slowestMs.toFixed(0)} ms (limit ${PASS_RULE.slowestMs} ms)`);
  } else {
    reasons.push(`PASS: slowest request took ${result.latency.slowestMs.toFixed(1)} ms`);
  }
  if (result.latency.stddevMs > PASS_RULE.stddevMs) {
    pass = false;
    reasons.push(`FAIL: latency standard deviation ${result.latency.stddevMs.toFixed(0)} ms (limit ${PASS_RULE.stddevMs} ms)`);
  } else {
    reasons.push(`PASS: latency standard deviation ${result.latency.stddevMs.toFixed(1)} ms`);
  }
  if (result.total === 0) {
    pass = false;
    reasons.push('FAIL: no request succeeded');
  }
  return { pass, reasons };
}

/**
 * What explains a slow or failed run: the load generator's own CPU and its machine's, the findings of the one
 * catalogue over the members' metrics measured during exactly the run (disk, network, raft), and members short of CPU.
 */
export function loadCauses(snapshot: ClusterSnapshot | undefined, heartbeatMs: number, client: LoadClient): LoadCause[] {
  const causes: LoadCause[] = [];
  if (client.cpuBound) {
    causes.push({
      id: 'bench-client-cpu', severity: 'warn', title: `the load generator used ${client.cpuCores.toFixed(2)} CPU cores (Node runs it on one): it may have been the bottleneck`,
      recommendation: 'Run bench load from a machine with a free core, or with fewer --clients; compare with etcdctl check perf from the same machine.',
    });
  }
  if (client.machineBusy >= 0.9) {
    causes.push({
      id: 'bench-machine-cpu', severity: 'warn', title: `the machine running the load was ${(client.machineBusy * 100).toFixed(0)}% busy on its ${client.cores} cores: members on it compete with the load generator`,
      recommendation: 'Run the load from another machine than the members, or give them more cores; a saturated machine fails the profile without saying anything about the disk or network.',
    });
  }
  if (!snapshot) return causes;
  const relevant = new Set(['wal-fsync', 'backend-commit', 'peer-rtt', 'leader-changes', 'proposals-failed', 'proposals-pending',
    'heartbeat-send-failures', 'slow-applies', 'raft-apply-lag', 'member-unhealthy', 'no-leader', 'alarm-nospace', 'db-quota']);
  for (const f of analyse(snapshot, { heartbeatMs })) {
    if (relevant.has(f.id) && atLeast(f.severity, 'warn')) causes.push({ id: f.id, severity: f.severity, member: f.member, title: f.title, recommendation: f.recommendation });
  }
  for (const m of snapshot.members) {
    const cores = m.metrics?.cpuCores;
    if (cores !== null && cores !== undefined && cores >= 0.9) {
      const name = memberName(m);
      causes.push({
        id: 'bench-member-cpu', severity: 'warn', member: name, title: `${name} used ${cores.toFixed(2)} CPU cores during the run: check whether its node has more to give`,
        recommendation: 'A member short of CPU applies and answers late: give etcd dedicated cores (requests = limits in Kubernetes), and keep other busy processes off its node.',
      });
    }
  }
  return causes;
}
