// The etcd the tests run on: its version (the matrix puts a different one first on PATH), reading a snapshot file
// with the tool that version has, and the folder of another built version.

import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compareVersions, parseVersion } from '../../shared/analyse/etcd-versions.ts';

let cached: string | undefined;

/** The version of the etcd first on PATH (or ETCD_BIN), e.g. "3.6.16". */
export function etcdVersion(): string {
  cached ??= /etcd Version: (\S+)/.exec(execFileSync(process.env.ETCD_BIN ?? 'etcd', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  return cached;
}

/** True when `version` (default: the one under test) is at least `min`, compared as the core compares versions. */
export function atLeast(min: string, version = etcdVersion()): boolean {
  const [a, b] = [parseVersion(version), parseVersion(min)];
  return a !== null && b !== null && compareVersions(a, b) >= 0;
}

export interface SnapshotFileStatus { hash: number; revision: number; totalKey: number; totalSize: number }

/** `snapshot status -w json` of a file: etcdutl from 3.5 on (etcdctl 3.6 no longer has it), etcdctl on 3.4. */
export function snapshotStatus(file: string): SnapshotFileStatus {
  const tool = atLeast('3.5.0') ? 'etcdutl' : 'etcdctl';
  const run = spawnSync(tool, ['snapshot', 'status', file, '-w', 'json'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
  if (run.status !== 0) throw new Error(`${tool} snapshot status ${file}: ${run.stderr}`);
  return JSON.parse(run.stdout) as SnapshotFileStatus;
}

/** The bin folder of a built etcd version (built on first use by scripts/ensure-etcd.sh). */
export function etcdBinDir(version: string): string {
  return execFileSync('bash', [join(__dirname, '../../scripts/ensure-etcd.sh'), version], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
