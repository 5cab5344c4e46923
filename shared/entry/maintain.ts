// What `maintain`, `defrag` and `compact` ask, and the extension's Defragment Member and Compact and Defragment Cluster:
// the request checked, the plan shown first (planMaintenance), then one core call that takes the lock, saves a
// snapshot if asked, compacts (maintain) and waits for every member, plans again on the compacted sizes, refuses if
// any safety check fails, and runs the rolling defragmentation. Asking the user happens in the door, between the two.

import { join } from 'node:path';
import { clusterRevision, servingMember } from '../analyse/members.ts';
import type { ClusterSnapshot } from '../collect/types.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { readCluster } from '../maintain/cluster-state.ts';
import { compact, type CompactResult } from '../maintain/compact.ts';
import { acquireMaintenanceLock, describeHolder } from '../maintain/lock.ts';
import { DEFAULT_POLICY, planDefrag, type DefragPlan, type DefragPolicy } from '../maintain/plan.ts';
import { DEFAULT_PAUSE_MS, rollingDefrag, type DefragResult, type MaintainEvent } from '../maintain/rolling-defrag.ts';
import { saveSnapshot, type SnapshotResult } from '../maintain/snapshot.ts';
import { silentLogger, type Logger } from '../ports.ts';
import { formatBytes } from '../util/bytes.ts';
import { input, RefusedError, UsageError } from '../util/errors.ts';
import { bytes, count, duration } from '../util/input.ts';

export { compact, DEFAULT_POLICY, type MaintainEvent };

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

export interface MaintainInput {
  fragmentationThreshold?: string;
  minFreeable?: string;
  all?: boolean;
  /** Only these members (name, hex id with or without 0x, host:port or URL). */
  members?: string[];
  force?: boolean;
  moveLeader?: boolean;
  stepTimeout?: string;
  pause?: string;
  /** Take a verified snapshot into this folder first, and stop if it fails. */
  snapshotDir?: string;
}

export interface MaintainRequest {
  policy: DefragPolicy;
  /** Compact first (maintain), or only defragment (defrag). */
  compact: boolean;
  moveLeader: boolean;
  stepTimeoutMs?: number;
  pauseMs?: number;
  snapshotDir?: string;
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
      members: given.members ?? [],
      force: given.force === true,
    },
    compact: withCompaction,
    moveLeader: given.moveLeader === true,
    ...(given.stepTimeout !== undefined ? { stepTimeoutMs: duration(given.stepTimeout, 'stepTimeout') } : {}),
    pauseMs: duration(given.pause ?? MAINTAIN_DEFAULTS.pause, 'pause'),
    ...(given.snapshotDir !== undefined ? { snapshotDir: given.snapshotDir } : {}),
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
}

export async function planMaintenance(connection: ConnectionOptions, policy: DefragPolicy): Promise<MaintenancePreview> {
  const snapshot = await readCluster(connection);
  return { snapshot, plan: planDefrag(snapshot, policy), compactTo: clusterRevision(snapshot.members) ?? 0 };
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
  signal?: AbortSignal;
  onEvent?: (event: MaintainEvent) => void;
  logger?: Logger;
}

/** Why a run that went through ended short of its aim, in one line; undefined when it did not. */
export function maintenanceProblem(result: MaintainResult): string | undefined {
  if (result.refused.length) return `refusing to defragment after compaction: ${result.refused.join('; ')}`;
  return result.defrag?.stoppedReason ?? undefined;
}

/** Runs the maintenance; another run holding the lock, or a snapshot that fails, refuses it before anything changes. */
export async function runMaintenance(connection: ConnectionOptions, request: MaintainRequest, run: MaintainRun): Promise<MaintainResult> {
  const logger = run.logger ?? silentLogger;
  const emit = run.onEvent ?? (() => undefined);
  const before = await readCluster(connection);
  const lock = await acquireMaintenanceLock((servingMember(before) as NonNullable<ReturnType<typeof servingMember>>).endpoint, connection, run.command);
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
    if (plan.refusals.length > 0) return { ...base, defrag: null, refused: plan.refusals, ok: false };
    const defrag = await rollingDefrag(connection, plan, {
      policy: request.policy, moveLeader: request.moveLeader, stepTimeoutMs: request.stepTimeoutMs, pauseMs: request.pauseMs,
      signal: run.signal, onEvent: emit,
    });
    return { ...base, defrag, refused: [], ok: defrag.ok };
  } finally {
    if (lock.state === 'acquired') await lock.release().catch(() => undefined);
  }
}
