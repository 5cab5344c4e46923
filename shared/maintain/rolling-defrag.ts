// The rolling defragmentation: one member at a time, followers first and the leader last, with the safety checks of
// the plan repeated before every step (a member died, the leader moved, someone else's lag) and a wait after every
// step until the member serves linearizable reads again (which proves it has caught up). Cancellation is honoured
// between steps only: a defragmentation in progress cannot be stopped on the server, so it is waited for.

import { applyLag, highestCommitted, leaderOf, memberName, quotaOf, servingMember } from '../analyse/members.ts';
import { explain } from '../collect/cluster.ts';
import type { ClusterSnapshot, MemberSnapshot } from '../collect/types.ts';
import { openMember } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { GiB } from '../util/bytes.ts';
import { describeError } from '../util/errors.ts';
import { readCluster } from './cluster-state.ts';
import type { CompactResult } from './compact.ts';
import type { SnapshotResult } from './snapshot.ts';
import { safetyRefusals, type DefragPlan, type DefragPolicy } from './plan.ts';
import { sleepUnlessAborted } from '../util/sleep.ts';

export type StepStatus = 'done' | 'failed' | 'not-started';

export interface StepResult {
  name: string;
  id: string;
  endpoint: string;
  status: StepStatus;
  /** Whether the member led the cluster when its step began (before any leader move). */
  wasLeader: boolean;
  leaderMovedTo: string | null;
  sizeBefore: number;
  sizeAfter: number | null;
  inUseAfter: number | null;
  freedBytes: number;
  defragMs: number;
  totalMs: number;
  healthyAfter: boolean | null;
  error?: string;
}

export type MaintenanceEvent =
  | { type: 'step-start'; member: string; index: number; total: number; isLeader: boolean; dbSize: number; timeoutMs: number }
  | { type: 'leader-moved'; from: string; to: string; tookMs: number }
  | { type: 'step-done'; result: StepResult }
  | { type: 'stopped'; reason: string }
  | { type: 'alarm-disarmed'; member: string; alarm: string };

/** Everything a maintenance run reports as it goes: the snapshot, the compaction, the plan after it, and each step. */
export type MaintainEvent = MaintenanceEvent | { type: 'compacted'; result: CompactResult } | { type: 'planned'; plan: DefragPlan }
  | { type: 'snapshot'; result: SnapshotResult };

export interface DefragResult {
  steps: StepResult[];
  totalFreedBytes: number;
  /** Why the run stopped before its end (a safety check, a failed step, cancellation); null when it completed. */
  stoppedReason: string | null;
  cancelled: boolean;
  alarmsDisarmed: Array<{ member: string; alarm: string }>;
  ok: boolean;
}

export interface RollingOptions {
  policy: DefragPolicy;
  /** Hand leadership to a follower before defragmenting the leader. */
  moveLeader: boolean;
  /** Overrides the size-scaled timeout of each defragmentation. */
  stepTimeoutMs?: number;
  /** Rest between members once the last one serves again, so requests queued behind its stall drain first. */
  pauseMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: MaintenanceEvent) => void;
}

const POLL_MS = 100;

/** A defragmentation rewrites the whole file: allow a minute plus a minute per GiB (300 MB took 0.2 s here). */
export function defragTimeoutMs(dbSize: number, commandTimeoutMs: number): number {
  return Math.max(commandTimeoutMs, 60_000 + Math.ceil(dbSize / GiB) * 60_000);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Measured with bench:maintain: every member's defragmentation stalls writes for about its own duration, and members
 * defragmented back to back let one write sit through two stalls. A second between members let queues drain.
 */
export const DEFAULT_PAUSE_MS = 1000;

/** Waits until the member answers a linearizable read (so it has applied everything committed) and reports its size. */
async function waitServing(endpoint: string, connection: ConnectionOptions, timeoutMs: number): Promise<{ dbSize: number; dbSizeInUse: number } | { error: string }> {
  const client = openMember(endpoint, connection);
  const until = Date.now() + timeoutMs;
  let last = 'no answer';
  try {
    while (Date.now() < until) {
      try {
        await client.health(false);
        const status = await client.status();
        return { dbSize: status.dbSize, dbSizeInUse: status.dbSizeInUse };
      } catch (error) {
        last = describeError(error);
        // A refused connection means the process is gone (a defragmenting member still accepts connections).
        if (/connection refused|ECONNREFUSED/i.test(last)) return { error: `went away after its defragmentation (${last})` };
        await sleep(POLL_MS);
      }
    }
    return { error: `not serving linearizable reads ${Math.round(timeoutMs / 1000)}s after its defragmentation (${last})` };
  } finally {
    client.close();
  }
}

/** Hands leadership to the healthiest follower (already defragmented ones first) and waits until all agree. */
async function moveLeadership(
  snapshot: ClusterSnapshot, leader: MemberSnapshot, done: Set<string>, connection: ConnectionOptions,
): Promise<{ to: MemberSnapshot; tookMs: number }> {
  const committed = highestCommitted(snapshot.members);
  const lag = (m: MemberSnapshot): number => applyLag(m, committed) ?? Infinity;
  const candidates = snapshot.members
    .filter((m) => m !== leader && m.healthy && m.status && !m.status.isLearner)
    .sort((a, b) => Number(done.has(b.member.id)) - Number(done.has(a.member.id)) || lag(a) - lag(b));
  const target = candidates[0];
  if (!target) throw new Error('no healthy voting follower to hand leadership to');
  const started = Date.now();
  const client = openMember(leader.endpoint, connection);
  try {
    await client.moveLeader(target.member.id);
  } finally {
    client.close();
  }
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const now = await readCluster(connection);
    if (leaderOf(now)?.member.id === target.member.id) return { to: target, tookMs: Date.now() - started };
    await sleep(POLL_MS);
  }
  throw new Error(`leadership did not move to ${memberName(target)} within 10s`);
}

/** Disarms NOSPACE once every member is back under its quota. */
async function disarmNospace(connection: ConnectionOptions): Promise<Array<{ member: string; alarm: string }>> {
  const snapshot = await readCluster(connection);
  const nospace = snapshot.alarms.filter((a) => a.alarm === 'NOSPACE');
  if (nospace.length === 0) return [];
  const overQuota = snapshot.members.filter((m) => (m.status?.dbSize ?? 0) >= quotaOf(m).bytes);
  if (overQuota.length > 0) {
    throw new Error(`NOSPACE stays armed: ${overQuota.map(memberName).join(', ')} still at or over the quota`);
  }
  const server = servingMember(snapshot) ?? snapshot.members[0];
  const client = openMember((server as MemberSnapshot).endpoint, connection);
  try {
    const disarmed: Array<{ member: string; alarm: string }> = [];
    for (const alarm of nospace) {
      await client.disarmNospace(alarm.memberId);
      const owner = snapshot.members.find((m) => m.member.id === alarm.memberId);
      disarmed.push({ member: owner ? memberName(owner) : alarm.memberId, alarm: 'NOSPACE' });
    }
    return disarmed;
  } finally {
    client.close();
  }
}

export async function rollingDefrag(connection: ConnectionOptions, plan: DefragPlan, options: RollingOptions): Promise<DefragResult> {
  const emit = options.onEvent ?? (() => undefined);
  const planned = plan.steps.filter((s) => s.action === 'defrag');
  const results = new Map<string, StepResult>(planned.map((s) => [s.id, {
    name: s.name, id: s.id, endpoint: s.endpoint, status: 'not-started', wasLeader: s.isLeader, leaderMovedTo: null,
    sizeBefore: s.dbSize, sizeAfter: null, inUseAfter: null, freedBytes: 0, defragMs: 0, totalMs: 0, healthyAfter: null,
  }]));
  const queue = planned.map((s) => s.id);
  const done = new Set<string>();
  const order: string[] = [];
  let stoppedReason: string | null = null;
  let cancelled = false;
  const hadNospace = planned.some((s) => s.nospace);

  while (queue.length > 0) {
    if (done.size > 0 && (options.pauseMs ?? DEFAULT_PAUSE_MS) > 0 && !options.signal?.aborted) {
      await sleepUnlessAborted(options.pauseMs ?? DEFAULT_PAUSE_MS, options.signal);
    }
    if (options.signal?.aborted) {
      cancelled = true;
      stoppedReason = 'cancelled: no further member was started';
      break;
    }
    let snapshot: ClusterSnapshot;
    try {
      snapshot = await readCluster(connection);
    } catch (error) {
      stoppedReason = `stopped before the next step: ${describeError(error)}`;
      break;
    }
    const refusals = safetyRefusals(snapshot, options.policy);
    if (refusals.length > 0) {
      stoppedReason = `stopped before the next step: ${refusals.join('; ')}`;
      break;
    }
    const leader = leaderOf(snapshot);
    const nextId = queue.find((id) => id !== leader?.member.id) ?? (queue[0] as string);
    const member = snapshot.members.find((m) => m.member.id === nextId);
    const result = results.get(nextId) as StepResult;
    if (!member?.status) {
      stoppedReason = `stopped: ${result.name} is no longer in the member list`;
      break;
    }
    const started = Date.now();
    order.push(nextId);
    const isLeader = member === leader;
    result.wasLeader = isLeader;
    result.sizeBefore = member.status.dbSize;
    const timeoutMs = options.stepTimeoutMs ?? defragTimeoutMs(member.status.dbSize, connection.commandTimeoutMs);
    emit({ type: 'step-start', member: result.name, index: done.size + 1, total: planned.length, isLeader, dbSize: member.status.dbSize, timeoutMs });
    if (isLeader && options.moveLeader && snapshot.members.length > 1) {
      try {
        const moved = await moveLeadership(snapshot, member, done, connection);
        result.leaderMovedTo = memberName(moved.to);
        emit({ type: 'leader-moved', from: result.name, to: result.leaderMovedTo, tookMs: moved.tookMs });
      } catch (error) {
        result.status = 'failed';
        result.error = `moving leadership away failed: ${describeError(error)}`;
        stoppedReason = `stopped at ${result.name}: ${result.error}`;
        emit({ type: 'step-done', result });
        break;
      }
    }
    const client = openMember(member.endpoint, connection);
    const defragStarted = Date.now();
    try {
      await client.defragment(Date.now() + timeoutMs);
    } catch (error) {
      result.status = 'failed';
      result.defragMs = Date.now() - defragStarted;
      result.totalMs = Date.now() - started;
      const why = explain('defragment', error);
      result.error = /no answer within/.test(why) ? `defragment: no answer within ${Math.round(timeoutMs / 1000)}s (the member may still be defragmenting)` : why;
      stoppedReason = `stopped at ${result.name}: ${result.error}`;
      emit({ type: 'step-done', result });
      break;
    } finally {
      client.close();
    }
    result.defragMs = Date.now() - defragStarted;
    const serving = await waitServing(member.endpoint, connection, Math.max(30_000, connection.commandTimeoutMs));
    result.totalMs = Date.now() - started;
    if ('error' in serving) {
      result.status = 'failed';
      result.healthyAfter = false;
      result.error = serving.error;
      stoppedReason = `stopped after ${result.name}: ${serving.error}`;
      emit({ type: 'step-done', result });
      break;
    }
    result.status = 'done';
    result.healthyAfter = true;
    result.sizeAfter = serving.dbSize;
    result.inUseAfter = serving.dbSizeInUse;
    result.freedBytes = Math.max(0, result.sizeBefore - serving.dbSize);
    done.add(nextId);
    queue.splice(queue.indexOf(nextId), 1);
    emit({ type: 'step-done', result });
  }

  let alarmsDisarmed: Array<{ member: string; alarm: string }> = [];
  if (stoppedReason === null && hadNospace) {
    try {
      alarmsDisarmed = await disarmNospace(connection);
      for (const a of alarmsDisarmed) emit({ type: 'alarm-disarmed', ...a });
    } catch (error) {
      stoppedReason = describeError(error);
    }
  }
  if (stoppedReason) emit({ type: 'stopped', reason: stoppedReason });
  const steps = [...order, ...queue.filter((id) => !order.includes(id))].map((id) => results.get(id) as StepResult);
  return {
    steps,
    totalFreedBytes: steps.reduce((sum, s) => sum + s.freedBytes, 0),
    stoppedReason,
    cancelled,
    alarmsDisarmed,
    ok: stoppedReason === null,
  };
}
