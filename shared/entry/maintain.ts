// What `maintain`, `defrag` and `compact` ask, and the extension's Defragment Member and Compact and Defragment Cluster:
// the request checked, the plan shown first (planMaintenance), then one core call that takes the lock, saves a
// snapshot if asked, compacts (maintain) and waits for every member, plans again on the compacted sizes, refuses if
// any safety check fails, and runs the rolling defragmentation. Asking the user happens in the door, between the two.

import { hostname } from 'node:os';
import { join } from 'node:path';
import { clusterRevision, servingMember } from '../analyse/members.ts';
import type { MaintenanceRecord } from '../collect/maintenance-record.ts';
import type { ClusterSnapshot } from '../collect/types.ts';
import type { KubeFlags } from '../connect/kubernetes/api.ts';
import type { MemberEvent } from '../connect/kubernetes/events.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { readCluster } from '../maintain/cluster-state.ts';
import { compact, type CompactResult } from '../maintain/compact.ts';
import { acquireMaintenanceLock, describeHolder } from '../maintain/lock.ts';
import { DEFAULT_POLICY, planDefrag, SAFETY_GATES, type DefragPlan, type DefragPolicy } from '../maintain/plan.ts';
import { DEFAULT_PAUSE_MS, rollingDefrag, type DefragResult, type MaintainEvent } from '../maintain/rolling-defrag.ts';
import { recordMaintenance } from '../maintain/record.ts';
import { saveSnapshot, type SnapshotResult } from '../maintain/snapshot.ts';
import { auditTrail } from '../maintain/audit.ts';
import { silentLogger, type Logger } from '../ports.ts';
import { maintenanceQuestion } from '../render/maintenance-text.ts';
import { formatBytes } from '../util/bytes.ts';
import { formatDuration } from '../util/duration.ts';
import { describeError, input, RefusedError, UsageError } from '../util/errors.ts';
import { bytes, count, duration, type InputSpec } from '../util/input.ts';

export { compact, SAFETY_GATES, type MaintainEvent };

/** The defaults, as a user would type them. */
export const MAINTAIN_DEFAULTS = {
  fragmentationThreshold: String(DEFAULT_POLICY.fragmentationThresholdPercent),
  minFreeable: formatBytes(DEFAULT_POLICY.minFreeableBytes).replace(' ', ''),
  pause: `${DEFAULT_PAUSE_MS / 1000}s`,
} as const;

/** The policy in words: when a member is defragmented. */
export function describePolicy(policy: DefragPolicy): string {
  return `at least ${policy.fragmentationThresholdPercent}% fragmented and ${formatBytes(policy.minFreeableBytes)} to free`;
}

/** What a rolling defragmentation may touch, and how it paces itself. */
export const MAINTAIN_INPUTS: ReadonlyArray<InputSpec<keyof MaintainInput>> = [
  { name: 'fragmentationThreshold', value: 'percent', default: MAINTAIN_DEFAULTS.fragmentationThreshold, help: 'defragment a member at or above this fragmentation' },
  { name: 'minFreeable', value: 'size', default: MAINTAIN_DEFAULTS.minFreeable, help: '...and with at least this much to free' },
  { name: 'all', help: 'defragment every selected member whatever its fragmentation' },
  { name: 'member', value: 'name|id|url', repeatable: true, help: 'only this member (repeatable)' },
  { name: 'moveLeader', help: 'hand leadership to a follower before defragmenting the leader' },
  { name: 'stepTimeout', value: 'duration', help: 'deadline of each member\'s defragmentation (default: 1 min + 1 min per GiB)' },
  { name: 'pause', value: 'duration', default: MAINTAIN_DEFAULTS.pause, help: 'rest between members once the last serves again, so queued requests drain' },
  { name: 'force', help: 'allow a single-member cluster (it stops serving while defragmented)' },
  { name: 'auditLog', value: 'file', help: 'append every decision and step as JSON lines (- for stderr)' },
  { name: 'events', help: 'post a Kubernetes Event on the etcd pod of each member defragmented (in a pod: with its ServiceAccount; elsewhere the kubeconfig)' },
];

/** maintain's own: a snapshot first. */
export const SNAPSHOT_FIRST_INPUT: InputSpec<'snapshot'> = { name: 'snapshot', value: 'dir', help: 'save a verified snapshot into this folder first; stop if that fails' };

export const COMPACT_INPUTS: ReadonlyArray<InputSpec<'revision' | 'keepRevisions'>> = [
  { name: 'revision', value: 'n', help: 'compact up to this revision (default: the current revision)' },
  { name: 'keepRevisions', value: 'n', help: 'keep this many most recent revisions' },
];

export interface MaintainInput {
  fragmentationThreshold?: string;
  minFreeable?: string;
  all?: boolean;
  /** Only these members (name, hex id with or without 0x, host:port or URL). */
  member?: string[];
  force?: boolean;
  moveLeader?: boolean;
  stepTimeout?: string;
  pause?: string;
  /** Take a verified snapshot into this folder first, and stop if it fails. */
  snapshot?: string;
  /** Append every decision and step to this file as JSON lines. */
  auditLog?: string;
  /** Post Kubernetes Events on the etcd pods. */
  events?: boolean;
}

export interface MaintainRequest {
  policy: DefragPolicy;
  /** Compact first (maintain), or only defragment (defrag). */
  compact: boolean;
  moveLeader: boolean;
  stepTimeoutMs?: number;
  pauseMs?: number;
  snapshotDir?: string;
  auditLog?: string;
  events: boolean;
}

export function maintainRequest(given: MaintainInput, withCompaction: boolean): MaintainRequest {
  const threshold = Number(given.fragmentationThreshold ?? MAINTAIN_DEFAULTS.fragmentationThreshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
    throw new UsageError(`expected a percentage from 0 to 100, got "${given.fragmentationThreshold ?? ''}"`, 'fragmentationThreshold');
  }
  return {
    policy: {
      ...DEFAULT_POLICY,
      fragmentationThresholdPercent: threshold,
      minFreeableBytes: bytes(given.minFreeable ?? MAINTAIN_DEFAULTS.minFreeable, 'minFreeable'),
      all: given.all === true,
      members: given.member ?? [],
      force: given.force === true,
    },
    compact: withCompaction,
    moveLeader: given.moveLeader === true,
    ...(given.stepTimeout !== undefined ? { stepTimeoutMs: duration(given.stepTimeout, 'stepTimeout') } : {}),
    pauseMs: duration(given.pause ?? MAINTAIN_DEFAULTS.pause, 'pause'),
    ...(given.snapshot !== undefined ? { snapshotDir: given.snapshot } : {}),
    ...(given.auditLog !== undefined ? { auditLog: given.auditLog } : {}),
    events: given.events === true,
  };
}

/** compact's own request: up to a revision, or keeping the newest revisions. */
export function compactRequest(given: { revision?: string; keepRevisions?: string }): { revision?: number; keepRevisions?: number } {
  if (given.revision !== undefined && given.keepRevisions !== undefined) throw new UsageError(`give ${input('revision')} or ${input('keepRevisions')}, not both`);
  return {
    ...(given.revision !== undefined ? { revision: count(given.revision, 'revision') } : {}),
    ...(given.keepRevisions !== undefined ? { keepRevisions: count(given.keepRevisions, 'keepRevisions') } : {}),
  };
}

export interface MaintenancePreview {
  snapshot: ClusterSnapshot;
  plan: DefragPlan;
  /** The revision `maintain` would compact to (the current one). */
  compactTo: number;
  /** Why it must not run at all, in one line; undefined when it may. */
  refused?: string;
  /** No member would be defragmented and nothing compacted: nothing to ask. */
  nothingToDo: boolean;
  /** What to ask before changing the cluster. */
  question: string;
}

/**
 * The plan before anything is touched (in the audit trail too): every member, its sizes, and what would be done; and
 * what the door does next: stop (refused, or nothing to do), or ask `question` (`shownAs`: the cluster's name, if any).
 */
export async function planMaintenance(connection: ConnectionOptions, request: MaintainRequest, shownAs?: string): Promise<MaintenancePreview> {
  const snapshot = await readCluster(connection);
  const plan = planDefrag(snapshot, request.policy);
  const compactTo = clusterRevision(snapshot.members) ?? 0;
  auditTrail(request.auditLog)({ event: 'plan', compact: request.compact, policy: request.policy, plan, ...(request.compact ? { compactTo } : {}) });
  return {
    snapshot, plan, compactTo,
    ...(plan.refusals.length ? { refused: `refusing to defragment: ${plan.refusals.join('; ')}` } : {}),
    nothingToDo: !request.compact && !plan.steps.some((s) => s.action === 'defrag'),
    question: maintenanceQuestion(plan, request.compact ? compactTo : undefined, shownAs),
  };
}

export interface MaintainResult {
  lock: 'acquired' | 'unavailable';
  snapshot: SnapshotResult | null;
  compaction: CompactResult | null;
  plan: DefragPlan;
  defrag: DefragResult | null;
  /** Safety checks that failed after compaction: nothing was defragmented. */
  refused: string[];
  ok: boolean;
}

export interface MaintainRun {
  /** What the lock says the holder is doing. */
  command: string;
  /** Post a Kubernetes Event on the etcd pod of each member the run touched (where the pods are, and the environment for the kubeconfig or a pod's ServiceAccount). */
  events?: { kube: KubeFlags; env: NodeJS.ProcessEnv };
  signal?: AbortSignal;
  onEvent?: (event: MaintainEvent) => void;
  logger?: Logger;
}

/** Why a run that went through ended short of its aim, in one line; undefined when it did not. */
export function maintenanceProblem(result: MaintainResult): string | undefined {
  if (result.refused.length) return `refusing to defragment after compaction: ${result.refused.join('; ')}`;
  return result.defrag?.stoppedReason ?? undefined;
}

/** What the run leaves in etcd for check and the exporter (see collect/maintenance-record.ts). */
export function maintenanceRecord(result: MaintainResult, run: { startedAt: string; command: string }): MaintenanceRecord {
  const defrag = result.defrag;
  return {
    startedAt: run.startedAt,
    finishedAt: new Date().toISOString(),
    command: run.command,
    host: hostname(),
    outcome: result.refused.length ? 'refused' : defrag?.cancelled ? 'cancelled' : result.ok ? 'done' : 'stopped',
    freedBytes: defrag?.totalFreedBytes ?? 0,
    defragmented: (defrag?.steps ?? []).filter((s) => s.status === 'done').map((s) => s.name || s.endpoint),
    compactedTo: result.compaction?.revision ?? null,
    problem: maintenanceProblem(result) ?? null,
  };
}

/** The Kubernetes Events a run leaves: one per member defragmented or failed; a run refused or stopped before any, on the member it locked through. */
export function memberEvents(result: MaintainResult, lockedThrough: { member: { name: string }; endpoint: string } | undefined): MemberEvent[] {
  const steps = (result.defrag?.steps ?? []).filter((s) => s.status !== 'not-started');
  const events: MemberEvent[] = steps.map((step) => (step.status === 'done'
    ? {
      member: step, type: 'Normal', reason: 'Defragmented',
      message: `etcd-perf defragmented ${step.name}${step.wasLeader ? ' (the leader, last)' : ''}: freed ${formatBytes(step.freedBytes)} (${formatBytes(step.sizeBefore)} to ${formatBytes(step.sizeAfter ?? 0)}) in ${formatDuration(step.defragMs)}`,
    }
    : { member: step, type: 'Warning', reason: 'DefragmentationFailed', message: `etcd-perf could not defragment ${step.name}: ${step.error ?? 'failed'}` }));
  const problem = maintenanceProblem(result);
  if (problem && !steps.some((s) => s.status === 'failed') && lockedThrough) {
    events.push({ member: { name: lockedThrough.member.name, endpoint: lockedThrough.endpoint }, type: 'Warning', reason: result.refused.length ? 'MaintenanceRefused' : 'MaintenanceStopped', message: `etcd-perf maintenance: ${problem}` });
  }
  return events;
}

/** Runs the maintenance; another run holding the lock, or a snapshot that fails, refuses it before anything changes. */
export async function runMaintenance(connection: ConnectionOptions, request: MaintainRequest, run: MaintainRun): Promise<MaintainResult> {
  const logger = run.logger ?? silentLogger;
  const audit = auditTrail(request.auditLog);
  const emit = (event: MaintainEvent): void => {
    audit({ ...event, event: event.type });
    run.onEvent?.(event);
  };
  run.signal?.addEventListener('abort', () => audit({ event: 'interrupt' }), { once: true });
  const before = await readCluster(connection);
  const startedAt = new Date().toISOString();
  const lockedThrough = (servingMember(before) as NonNullable<ReturnType<typeof servingMember>>).endpoint;
  const lock = await acquireMaintenanceLock(lockedThrough, connection, run.command);
  if (lock.state === 'held') throw new RefusedError(`another maintenance is running: ${describeHolder(lock.holder)}`);
  if (lock.state === 'unavailable') logger.warn(`proceeding without the maintenance lock: ${lock.reason}`);
  try {
    let snapshot: SnapshotResult | null = null;
    if (request.snapshotDir !== undefined) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = join(request.snapshotDir, `etcd-${before.clusterId ?? 'cluster'}-rev${clusterRevision(before.members) ?? 0}-${stamp}.db`);
      snapshot = await saveSnapshot(connection, file, { logger }).catch((error: unknown) => {
        throw error instanceof RefusedError ? new RefusedError(`${error.message}; nothing was changed`) : error;
      });
      emit({ type: 'snapshot', result: snapshot });
    }
    let compaction: CompactResult | null = null;
    if (request.compact) {
      compaction = await compact(connection, { logger });
      emit({ type: 'compacted', result: compaction });
    }
    const plan = planDefrag(compaction ? await readCluster(connection) : before, request.policy);
    emit({ type: 'planned', plan });
    const base = { lock: lock.state === 'acquired' ? 'acquired' as const : 'unavailable' as const, snapshot, compaction, plan };
    const finish = async (result: MaintainResult): Promise<MaintainResult> => {
      audit({ event: 'result', result });
      const record = maintenanceRecord(result, { startedAt, command: run.command });
      await recordMaintenance(lockedThrough, connection, record)
        .catch((error: unknown) => logger.warn(`the run could not be recorded in etcd for check and the exporter: ${describeError(error)}`));
      if (run.events) {
        const { postMemberEvents } = await import('../connect/kubernetes/events.ts');
        const posted = await postMemberEvents(run.events.kube, run.events.env, memberEvents(result, servingMember(before)));
        for (const line of posted.posted) logger.info(`event ${line}`);
        for (const problem of posted.problems) logger.warn(problem);
      }
      return result;
    };
    if (plan.refusals.length > 0) return finish({ ...base, defrag: null, refused: plan.refusals, ok: false });
    const defrag = await rollingDefrag(connection, plan, {
      policy: request.policy, moveLeader: request.moveLeader, stepTimeoutMs: request.stepTimeoutMs, pauseMs: request.pauseMs,
      signal: run.signal, onEvent: emit,
    });
    return finish({ ...base, defrag, refused: [], ok: defrag.ok });
  } finally {
    if (lock.state === 'acquired') await lock.release().catch(() => undefined);
  }
}
