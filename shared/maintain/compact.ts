// Compaction that is finished when we say so: a physical compaction (the serving member waits until its backend has
// dropped the old revisions), then a wait until every other member has finished its own, read from each member's
// etcd_debugging_mvcc_compact_revision and its count of finished compactions. A defragmentation that starts earlier
// reclaims nothing on the members still compacting.

import { clusterRevision, memberName, servingMember } from '../analyse/members.ts';
import { summariseMetrics } from '../collect/member-metrics.ts';
import { scrapeMetrics } from '../collect/metrics.ts';
import type { MemberSnapshot } from '../collect/types.ts';
import { openMember } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { silentLogger, type Logger } from '../ports.ts';
import { GiB } from '../util/bytes.ts';
import { describeError, input, UsageError } from '../util/errors.ts';
import { readCluster } from './cluster-state.ts';
import { compareNames } from '../util/names.ts';

export interface CompactOptions {
  /** Compact up to this revision; default: the current revision. */
  revision?: number;
  /** Or (when no revision is given) keep this many most recent revisions. */
  keepRevisions?: number;
  logger?: Logger;
}

export interface MemberCompaction {
  name: string;
  id: string;
  endpoint: string;
  /** true: finished; false: not within the timeout; null: could not be observed (no metrics, unreachable). */
  finished: boolean | null;
  waitedMs: number;
  note?: string;
}

export interface CompactResult {
  revision: number;
  currentRevision: number;
  previousCompactRevision: number | null;
  /** Nothing to do: the cluster was already compacted at or past the revision. */
  alreadyCompacted: boolean;
  servedBy: string;
  tookMs: number;
  members: MemberCompaction[];
}

const POLL_MS = 100;

/** Generous: compaction walks the whole keyspace in batches; etcd's own default timeouts know nothing of it. */
export function compactionTimeoutMs(dbSize: number, commandTimeoutMs: number): number {
  return Math.max(commandTimeoutMs, 30_000 + Math.ceil(dbSize / GiB) * 60_000);
}

function chooseTarget(current: number, options: CompactOptions): number {
  if (options.revision !== undefined) {
    if (!Number.isSafeInteger(options.revision) || options.revision < 1) throw new UsageError(`${input('revision')} must be a positive integer, got ${options.revision}`, 'revision');
    if (options.revision > current) throw new UsageError(`${input('revision')} ${options.revision} is in the future: the current revision is ${current}`, 'revision');
    return options.revision;
  }
  if (options.keepRevisions !== undefined) {
    if (!Number.isSafeInteger(options.keepRevisions) || options.keepRevisions < 0) throw new UsageError(`${input('keepRevisions')} must be a whole number, got ${options.keepRevisions}`, 'keepRevisions');
    return Math.max(0, current - options.keepRevisions);
  }
  return current;
}

async function waitForMember(
  member: MemberSnapshot, target: number, connection: ConnectionOptions, deadline: number,
): Promise<MemberCompaction> {
  const base = { name: memberName(member), id: member.member.id, endpoint: member.endpoint };
  const before = member.metrics?.compactionsFinished;
  if (!member.status) return { ...base, finished: null, waitedMs: 0, note: `unreachable: ${member.error ?? 'no answer'}` };
  if (before === null || before === undefined) return { ...base, finished: null, waitedMs: 0, note: 'no metrics: cannot observe its compaction' };
  const started = Date.now();
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const metrics = summariseMetrics(undefined, await scrapeMetrics(member.endpoint, member.metricsUrl, connection), 0);
      if ((metrics.compactRevision ?? 0) >= target && (metrics.compactionsFinished ?? 0) > before) {
        return { ...base, finished: true, waitedMs: Date.now() - started };
      }
    } catch (error) {
      lastError = describeError(error);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { ...base, finished: false, waitedMs: Date.now() - started, note: lastError ? `last metrics error: ${lastError}` : 'still compacting at the timeout' };
}

export async function compact(connection: ConnectionOptions, options: CompactOptions = {}): Promise<CompactResult> {
  const logger = options.logger ?? silentLogger;
  const started = Date.now();
  const snapshot = await readCluster(connection);
  const current = clusterRevision(snapshot.members) ?? 0;
  const target = chooseTarget(current, options);
  const previous = Math.max(0, ...snapshot.members.map((m) => m.metrics?.compactRevision ?? 0)) || null;
  const server = servingMember(snapshot) as MemberSnapshot;
  const result: CompactResult = {
    revision: target, currentRevision: current, previousCompactRevision: previous, alreadyCompacted: false,
    servedBy: memberName(server), tookMs: 0, members: [],
  };
  if (target === 0 || (previous !== null && target <= previous)) {
    result.alreadyCompacted = true;
    result.tookMs = Date.now() - started;
    return result;
  }
  const dbSize = Math.max(0, ...snapshot.members.map((m) => m.status?.dbSize ?? 0));
  const timeout = compactionTimeoutMs(dbSize, connection.commandTimeoutMs);
  const deadline = Date.now() + timeout;
  logger.info(`compacting to revision ${target} through ${memberName(server)} (physical) ...`);
  const client = openMember(server.endpoint, connection);
  try {
    await client.compact(target, deadline);
  } catch (error) {
    const message = describeError(error);
    if (/required revision has been compacted/.test(message)) {
      result.alreadyCompacted = true;
      result.tookMs = Date.now() - started;
      return result;
    }
    if (/future revision/.test(message)) throw new UsageError(`revision ${target} is in the future (current ${current})`, 'revision');
    throw new Error(`compaction through ${memberName(server)} failed: ${message}`);
  } finally {
    client.close();
  }
  logger.info('waiting for every member to finish its compaction ...');
  result.members = (await Promise.all(snapshot.members.map((m) => waitForMember(m, target, connection, deadline))))
    .sort((a, b) => compareNames(a.name, b.name));
  result.tookMs = Date.now() - started;
  return result;
}
