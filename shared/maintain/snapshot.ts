// A snapshot that is whole or absent: streamed from one member (a healthy follower by default, to spare the leader)
// into a temporary file, checked against the SHA-256 etcd appends as the stream's last 32 bytes, fsynced, then renamed
// into place and the folder fsynced. A failure or interruption leaves no file behind, and an existing file is kept.
// The file keeps etcd's trailing checksum, as etcdctl's does, so `etcdctl snapshot restore` can verify it.

import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { applyLag, findMember, highestCommitted, leaderOf, memberName, selectable } from '../analyse/members.ts';
import type { MemberSnapshot } from '../collect/types.ts';
import { openMember, transportOf } from '../connect/member.ts';
import type { ConnectionOptions, NodeSnapshot } from '../connect/types.ts';
import { silentLogger, type Logger } from '../ports.ts';
import { GiB } from '../util/bytes.ts';
import { describeError, input, RefusedError, UsageError } from '../util/errors.ts';
import { readCluster } from './cluster-state.ts';

const CHECKSUM_BYTES = 32;

/** Hashes a stream except its last 32 bytes, which it keeps to compare with the hash at the end. Pure. */
export class TrailingChecksum {
  private readonly hash: Hash = createHash('sha256');
  private tail = Buffer.alloc(0);
  bytes = 0;

  update(chunk: Buffer): void {
    this.bytes += chunk.length;
    const combined = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const keep = Math.min(CHECKSUM_BYTES, combined.length);
    this.hash.update(combined.subarray(0, combined.length - keep));
    this.tail = Buffer.from(combined.subarray(combined.length - keep));
  }

  /** The database's SHA-256 and whether the stream's trailer matches it. */
  verify(): { ok: boolean; expected: string; actual: string } {
    const actual = this.hash.digest('hex');
    const expected = this.tail.length === CHECKSUM_BYTES ? this.tail.toString('hex') : '';
    return { ok: expected !== '' && expected === actual, expected, actual };
  }
}

export interface SnapshotResult {
  file: string;
  bytes: number;
  /** The snapshot's revision: from the stream (etcd 3.5+), or read from the member just before and as it began. */
  revision: number;
  /** false when writes arrived between those two reads: the snapshot is at `revision` or a little later. */
  revisionExact: boolean;
  sha256: string;
  member: string;
  tookMs: number;
}

export interface SnapshotOptions {
  /** Member to stream from (name, id or URL); default: the healthy follower with the least lag. */
  member?: string;
  /** Replace an existing file. */
  force?: boolean;
  logger?: Logger;
  onProgress?: (bytes: number, total: number | null) => void;
}

function chooseSource(members: MemberSnapshot[], leader: MemberSnapshot | undefined, selector?: string): MemberSnapshot {
  if (selector) {
    const found = findMember(members, selector, selectable);
    if (!found.healthy) throw new UsageError(`${input('member')} ${selector}: the member is not healthy (${found.error ?? found.healthError ?? 'no answer'})`, 'member');
    return found;
  }
  const committed = highestCommitted(members);
  const lag = (m: MemberSnapshot): number => applyLag(m, committed) ?? Infinity;
  const healthy = members.filter((m) => m.healthy && m.status)
    .sort((a, b) => Number(a === leader) - Number(b === leader) || lag(a) - lag(b));
  const source = healthy[0];
  if (!source) throw new Error('no healthy member to take a snapshot from');
  return source;
}

export interface NodeSnapshotResult extends NodeSnapshot {
  member: string;
  tookMs: number;
}

/**
 * A snapshot saved where a member runs (through Kubernetes: in its pod, on a hostPath, so on the node's disk), from a
 * healthy follower by default, then opened and read back by etcdctl snapshot status.
 */
export async function saveSnapshotOnNode(connection: ConnectionOptions, path: string, options: SnapshotOptions = {}): Promise<NodeSnapshotResult> {
  const logger = options.logger ?? silentLogger;
  if (transportOf(connection).kind !== 'kubernetes') throw new UsageError(`${input('onNode')} is for the Kubernetes transport: give a local FILE to save a snapshot here`, 'onNode');
  const snapshot = await readCluster(connection);
  const source = chooseSource(snapshot.members, leaderOf(snapshot), options.member);
  const member = openMember(source.endpoint, connection);
  const started = Date.now();
  logger.info(`saving a snapshot on ${memberName(source)}'s node at ${path} ...`);
  try {
    if (!member.snapshotOnNode) throw new UsageError('this transport cannot save a snapshot on the node');
    const saved = await member.snapshotOnNode(path, Date.now() + snapshotTimeoutMs(source, connection), options.force === true);
    return { ...saved, member: memberName(source), tookMs: Date.now() - started };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new RefusedError(`snapshot from ${memberName(source)} failed: ${describeError(error)}`);
  } finally {
    member.close();
  }
}

/** A minute, plus a minute per GiB of the member's DB. */
function snapshotTimeoutMs(source: MemberSnapshot, connection: ConnectionOptions): number {
  return Math.max(connection.commandTimeoutMs, 60_000 + Math.ceil((source.status?.dbSize ?? 0) / GiB) * 60_000);
}

export async function saveSnapshot(connection: ConnectionOptions, file: string, options: SnapshotOptions = {}): Promise<SnapshotResult> {
  const logger = options.logger ?? silentLogger;
  if (transportOf(connection).kind === 'kubernetes') {
    throw new UsageError('a snapshot cannot be copied out through Kubernetes: the etcd image has no shell, cat or tar, and the client port '
      + `demands certificates that stay on the node. Save it on the node instead: snapshot save ${input('onNode')} /var/lib/etcd/snapshot.db `
      + `(a path on a hostPath volume of the pod), or run with ${input('endpoints')} and the certificates on a control-plane node`);
  }
  if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory()) throw new UsageError(`${file}: folder ${dirname(file)} does not exist`);
  if (existsSync(file) && !options.force) throw new UsageError(`${file} exists: choose another name, or ${input('force')} to replace it`);
  const snapshot = await readCluster(connection);
  const source = chooseSource(snapshot.members, leaderOf(snapshot), options.member);
  const started = Date.now();
  const temporary = join(dirname(file), `.${basename(file)}.part-${process.pid}`);
  const fd = openSync(temporary, 'wx', 0o600);
  const checksum = new TrailingChecksum();
  const member = openMember(source.endpoint, connection);
  let revision = 0;
  logger.info(`streaming a snapshot from ${memberName(source)} ...`);
  try {
    if (!member.streamSnapshot) throw new UsageError('this transport cannot stream a snapshot');
    const before = (await member.status()).revision;
    let atFirstChunk: Promise<number> | undefined;
    // A stream that stops sending for a command timeout is given up (a frozen member would hold it forever).
    const stalled = new AbortController();
    let idle: NodeJS.Timeout | undefined;
    const watch = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => stalled.abort(new Error(`no data from ${memberName(source)} for ${connection.commandTimeoutMs / 1000}s`)), connection.commandTimeoutMs);
    };
    watch();
    await member.streamSnapshot((chunk) => {
      watch();
      if (revision === 0 && chunk.revision > 0) revision = chunk.revision;
      atFirstChunk ??= member.status().then((status) => status.revision, () => Number.NaN);
      writeSync(fd, chunk.blob);
      checksum.update(chunk.blob);
      options.onProgress?.(checksum.bytes, chunk.remainingBytes === null ? null : checksum.bytes + chunk.remainingBytes);
    }, stalled.signal).finally(() => clearTimeout(idle));
    fsyncSync(fd);
    closeSync(fd);
    const verdict = checksum.verify();
    if (!verdict.ok) throw new Error(`snapshot checksum mismatch: trailer ${verdict.expected || '(missing)'}, data ${verdict.actual}`);
    renameSync(temporary, file);
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    const after = await (atFirstChunk ?? Promise.resolve(Number.NaN));
    const revisionExact = revision > 0 || after === before;
    return {
      file, bytes: checksum.bytes, revision: revision > 0 ? revision : before, revisionExact,
      sha256: verdict.actual, member: memberName(source), tookMs: Date.now() - started,
    };
  } catch (error) {
    try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(temporary); } catch { /* already gone */ }
    throw new RefusedError(`snapshot from ${memberName(source)} failed: ${describeError(error)}`);
  } finally {
    member.close();
  }
}
