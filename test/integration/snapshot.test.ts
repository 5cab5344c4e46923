// Snapshots from a real cluster: verified against etcdctl's reading of the same file, never half-written.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { runCli } from '../harness/cli.ts';
import { resolveConnectionOptions } from '../../shared/connect/options.ts';
import { saveSnapshot } from '../../shared/maintain/snapshot.ts';
import type { MaintainResult } from '../../shared/entry/maintain.ts';
import { snapshotStatus } from '../harness/etcd.ts';

let cluster: LocalCluster;
let dir: string;

before(async () => {
  cluster = await LocalCluster.start({ size: 3 });
  await writeChurn(cluster, { rounds: 2, keys: 3000, valueBytes: 8192 });
  dir = mkdtempSync(join(tmpdir(), 'etcd-perf-snap-'));
});

after(async () => { await cluster?.dispose(); });

test('snapshot save: etcdctl reads the same revision and hash from our file', async () => {
  const file = join(dir, 'a.db');
  const result = await runCli(['snapshot', 'save', file, '-o', 'json', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(result.code, 0, result.stderr);
  const ours = JSON.parse(result.stdout) as { bytes: number; revision: number; revisionExact: boolean; member: string };
  assert.equal(ours.revisionExact, true, 'no writes while it began');
  const status = snapshotStatus(file);
  assert.equal(status.revision, ours.revision);
  assert.ok(status.totalKey >= 3000);
  assert.ok(ours.bytes > 20 * 1024 * 1024);
  assert.deepEqual(readdirSync(dir), ['a.db'], 'no temporary file left');
  const leader = JSON.parse((await runCli(['status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout)
    .members.find((m: { isLeader: boolean }) => m.isLeader).name;
  assert.notEqual(ours.member, leader, 'streamed from a follower, sparing the leader');
  const again = await runCli(['snapshot', 'save', file, '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /a\.db exists: choose another name, or --force to replace it/);
});

test('a source that stalls mid-stream: the save fails and leaves no file', async (t) => {
  const connection = resolveConnectionOptions({ endpoints: cluster.endpoints.join(','), commandTimeout: '1500ms' }, {});
  const file = join(dir, 'stalled.db');
  let frozen = -1;
  // A resumed member calls an election (etcd 3.4 has no pre-vote by default): wait until the cluster serves again.
  t.after(async () => {
    if (frozen >= 0) cluster.kill(frozen, 'SIGCONT');
    await cluster.waitHealthy(30_000);
  });
  await assert.rejects(saveSnapshot(connection, file, {
    member: 'etcd-2',
    onProgress: () => {
      if (frozen < 0) {
        frozen = 1;
        cluster.kill(frozen, 'SIGSTOP');
      }
    },
  }), /snapshot from etcd-2 failed: no data from etcd-2 for 1\.5s/);
  assert.equal(existsSync(file), false);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('stalled')), []);
});

test('maintain --snapshot DIR saves a snapshot first; an unusable folder stops it before anything changes', async () => {
  const snapshots = mkdtempSync(join(tmpdir(), 'etcd-perf-snaps-'));
  const ok = await runCli(['maintain', '--yes', '-o', 'json', '--snapshot', snapshots, '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(ok.code, 0, ok.stderr);
  const report = JSON.parse(ok.stdout) as MaintainResult;
  assert.ok(report.snapshot && existsSync(report.snapshot.file));
  assert.deepEqual(readdirSync(snapshots).length, 1);
  const notAFolder = join(snapshots, 'file');
  writeFileSync(notAFolder, 'x');
  const refused = await runCli(['maintain', '--yes', '--snapshot', notAFolder, '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /folder .*file does not exist/);
});
