// Maintenance as one core call for both doors: take the lock, compact (maintain) and wait for every member, plan again
// on the compacted sizes, refuse if any safety check fails, then the rolling defragmentation. Showing the plan and
// asking the user happen before, in the door, from planMaintenance().

import type { ClusterSnapshot } from '../collect/types.ts';
import type { ConnectionOptions } from '../connect/options.ts';
import type { Logger } from '../ports.ts';
import { silentLogger } from '../ports.ts';
import { compact, type CompactResult } from './compact.ts';
import { currentRevision, leaderOf, readCluster } from './cluster-state.ts';
import { acquireMaintenanceLock, describeHolder } from './lock.ts';
import { planDefrag, type DefragPlan, type DefragPolicy } from './plan.ts';
import { rollingDefrag, type DefragResult, type MaintenanceEvent } from './rolling-defrag.ts';
import { saveSnapshot, type SnapshotResult } from './snapshot.ts';
import { join } from 'node:path';

export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

export interface MaintenancePreview {
  snapshot: ClusterSnapshot;
  plan: DefragPlan;
  /** The revision `maintain` would compact to (the current one). */
  compactTo: number;
}

export async function planMaintenance(connection: ConnectionOptions, policy: DefragPolicy): Promise<MaintenancePreview> {
  const snapshot = await readCluster(connection);
  return { snapshot, plan: planDefrag(snapshot, policy), compactTo: currentRevision(snapshot) };
}

export interface MaintainRequest {
  policy: DefragPolicy;
  compact: boolean;
  moveLeader: boolean;
  stepTimeoutMs?: number;
  pauseMs?: number;
  /** What the lock says the holder is doing. */
  command: string;
  /** Take a snapshot into this folder first, and stop if it fails. */
  snapshotDir?: string;
  signal?: AbortSignal;
  onEvent?: (event: MaintenanceEvent | { type: 'compacted'; result: CompactResult } | { type: 'planned'; plan: DefragPlan }
    | { type: 'snapshot'; result: SnapshotResult }) => void;
  logger?: Logger;
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

export async function runMaintenance(connection: ConnectionOptions, request: MaintainRequest): Promise<MaintainResult> {
  const logger = request.logger ?? silentLogger;
  const emit = request.onEvent ?? (() => undefined);
  const before = await readCluster(connection);
  const lockAt = leaderOf(before) ?? before.members.find((m) => m.healthy) ?? before.members.find((m) => m.status);
  const lock = await acquireMaintenanceLock((lockAt as NonNullable<typeof lockAt>).endpoint, connection, request.command);
  if (lock.state === 'held') throw new LockHeldError(`another maintenance is running: ${describeHolder(lock.holder)}`);
  if (lock.state === 'unavailable') logger.warn(`proceeding without the maintenance lock: ${lock.reason}`);
  try {
    let snapshot: SnapshotResult | null = null;
    if (request.snapshotDir !== undefined) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = join(request.snapshotDir, `etcd-${before.clusterId ?? 'cluster'}-rev${currentRevision(before)}-${stamp}.db`);
      snapshot = await saveSnapshot(connection, file, { logger });
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
      signal: request.signal, onEvent: emit,
    });
    return { ...base, defrag, refused: [], ok: defrag.ok };
  } finally {
    if (lock.state === 'acquired') await lock.release().catch(() => undefined);
  }
}
