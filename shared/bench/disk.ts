// `bench disk`: etcd's fio recipe done natively. Sequential writes of one block each followed by fdatasync, the way
// etcd's WAL appends an entry and syncs it; only the fdatasync is timed (fio's "sync" latency). The file is sized up
// front with ftruncate, as etcd does for a WAL segment where fallocate is unsupported, so a sync does not also have
// to persist a growing file size. Every file written is removed at the end, also when cancelled.

import { closeSync, fdatasyncSync, ftruncateSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { readFilesystemFacts, type FilesystemFacts } from '../collect/filesystem.ts';
import { formatBytes } from '../util/bytes.ts';
import { UsageError } from '../util/errors.ts';
import { LatencyRecorder, roundMs, summarise } from './latency.ts';

/** etcd's guidance: WAL fdatasync p99 under 10 ms. */
export const DISK_P99_LIMIT_MS = 10;

/** etcd's fio recipe: 22 MiB in 2300-byte writes (about a Kubernetes cluster's WAL entry). */
export const DISK_DEFAULTS = { dir: '.', size: '22MiB', block: '2300' } as const;

export interface DiskProbeRequest {
  dir: string;
  sizeBytes: number;
  blockBytes: number;
  signal?: AbortSignal;
  /** Called every batch with the number of writes done and to do. */
  onProgress?(done: number, total: number): void;
}

export interface DiskProbeResult {
  dir: string;
  writes: number;
  blockBytes: number;
  bytes: number;
  durationSeconds: number;
  fdatasync: { p50Ms: number; p90Ms: number; p99Ms: number; p999Ms: number; maxMs: number; meanMs: number };
  /** Writes (each with its fdatasync) per second of the whole run. */
  iops: number;
  verdict: 'pass' | 'fail';
  /** Why the verdict, in words. */
  reasons: string[];
  /** Facts worth knowing about the disk, good or bad. */
  notes: string[];
  filesystem: FilesystemFacts;
  /** True when cancelled: the figures cover the writes done until then. */
  partial: boolean;
}

const BATCH = 64;

function checkRequest(request: DiskProbeRequest): string {
  const dir = resolve(request.dir);
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`${dir} does not exist`, 'dir');
  }
  if (!isDirectory) throw new UsageError(`${dir} is not a directory`, 'dir');
  if (!Number.isSafeInteger(request.blockBytes) || request.blockBytes < 1) throw new UsageError('expected a size of at least 1 byte', 'block');
  if (!Number.isSafeInteger(request.sizeBytes) || request.sizeBytes < request.blockBytes) throw new UsageError('must be at least one block', 'size');
  return dir;
}

function notesFor(fs: FilesystemFacts): string[] {
  const notes: string[] = [];
  if (fs.rotational === true) notes.push(`${fs.blockDevice} says it is rotational (sysfs queue/rotational = 1): if it spins, etcd needs an SSD; virtual disks often say so regardless, the latencies above are what counts`);
  if (fs.blockDevice === null) notes.push(`${fs.type} at ${fs.mountPoint} has no block device of its own: run this on the filesystem that holds etcd's data directory`);
  if (fs.type === 'tmpfs' || fs.type === 'ramfs') notes.push(`${fs.type} is memory: its fdatasync says nothing about a disk`);
  if (!fs.noatime) notes.push(`mounted without noatime (${fs.options.find((o) => /atime$/.test(o)) ?? 'atime'}): noatime saves metadata writes on reads`);
  if (fs.scheduler && !['none', 'mq-deadline', 'noop', 'deadline'].includes(fs.scheduler)) {
    notes.push(`I/O scheduler ${fs.scheduler}: none or mq-deadline suit SSDs best`);
  }
  return notes;
}

export async function probeDisk(request: DiskProbeRequest): Promise<DiskProbeResult> {
  const dir = checkRequest(request);
  const filesystem = readFilesystemFacts(dir);
  if (filesystem.freeBytes < request.sizeBytes * 2) {
    throw new UsageError(`${dir} has ${formatBytes(filesystem.freeBytes)} free, the probe needs ${formatBytes(request.sizeBytes)} (and as much to spare)`, 'dir');
  }
  const total = Math.floor(request.sizeBytes / request.blockBytes);
  const block = Buffer.alloc(request.blockBytes, 0x61);
  const latencies = new LatencyRecorder();
  const workDir = mkdtempSync(join(dir, '.etcd-perf-disk-'));
  let fd: number | undefined;
  let done = 0;
  const started = process.hrtime.bigint();
  try {
    fd = openSync(join(workDir, 'probe'), 'w');
    ftruncateSync(fd, total * request.blockBytes);
    while (done < total && !request.signal?.aborted) {
      const end = Math.min(total, done + BATCH);
      for (; done < end; done += 1) {
        writeSync(fd, block, 0, block.length, done * block.length);
        const before = process.hrtime.bigint();
        fdatasyncSync(fd);
        latencies.record(Number(process.hrtime.bigint() - before) / 1e6);
      }
      request.onProgress?.(done, total);
      await yieldToEvents();
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(workDir, { recursive: true, force: true });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stats = summarise(latencies.sorted());
  const verdict = stats.p99Ms < DISK_P99_LIMIT_MS ? 'pass' : 'fail';
  return {
    dir,
    writes: done,
    blockBytes: request.blockBytes,
    bytes: done * request.blockBytes,
    durationSeconds: Math.round(seconds * 1000) / 1000,
    fdatasync: {
      p50Ms: roundMs(stats.p50Ms), p90Ms: roundMs(stats.p90Ms), p99Ms: roundMs(stats.p99Ms),
      p999Ms: roundMs(stats.p999Ms), maxMs: roundMs(stats.maxMs), meanMs: roundMs(stats.meanMs),
    },
    iops: seconds > 0 ? Math.round(done / seconds) : 0,
    verdict,
    reasons: [verdict === 'pass'
      ? `fdatasync p99 ${roundMs(stats.p99Ms)} ms is under etcd's ${DISK_P99_LIMIT_MS} ms`
      : `fdatasync p99 ${roundMs(stats.p99Ms)} ms is over etcd's ${DISK_P99_LIMIT_MS} ms: every write to etcd waits for one WAL fdatasync, expect slow requests and missed heartbeats`],
    notes: notesFor(filesystem),
    filesystem,
    partial: done < total,
  };
}
