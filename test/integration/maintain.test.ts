// `maintain` on a real fragmented cluster under a steady writer: no failed write, every member's file back near its
// in-use size, the leader last, and the data exactly as before (HashKV equal on all members, every key and value).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { CLI, runCli } from '../harness/cli.ts';
import { copyPrefix, hashKvAll, startWriter } from '../harness/data.ts';
import type { MaintainResult } from '../../shared/entry/maintain.ts';
import { MiB } from '../../shared/util/bytes.ts';

let cluster: LocalCluster;

before(async () => {
  cluster = await LocalCluster.start({ size: 3 });
  await writeChurn(cluster, { rounds: 12 });
  // New history after the churn's own compaction: compaction in `maintain` has real work to do.
  await writeChurn(cluster, { rounds: 2, prefix: '/churn2/' });
});

after(async () => { await cluster?.dispose(); });

test('maintain --yes under a steady writer: no failed write, space reclaimed everywhere, leader last, data unchanged', async () => {
  const keysBefore = await copyPrefix(cluster, '/churn');
  const audit = join(mkdtempSync(join(tmpdir(), 'etcd-perf-audit-')), 'audit.jsonl');
  const writer = startWriter(cluster);
  const result = await runCli(['maintain', '--yes', '-o', 'json', '--audit-log', audit, '--endpoints', cluster.endpoints.join(',')]);
  const writes = await writer.stop();
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as MaintainResult;
  assert.deepEqual(writes.failures, [], 'no write failed');
  assert.ok(writes.writes > 100, `the writer kept writing (${writes.writes})`);
  assert.equal(report.lock, 'acquired');
  assert.equal(report.compaction?.members.every((m) => m.finished === true), true, 'compaction finished on every member');
  const steps = report.defrag?.steps ?? [];
  assert.equal(steps.length, 3);
  assert.ok(steps.every((s) => s.status === 'done' && s.healthyAfter === true));
  assert.deepEqual(steps.map((s) => s.wasLeader), [false, false, true], 'followers first, the leader last');
  for (const s of steps) {
    assert.ok((s.sizeAfter ?? 0) <= (s.inUseAfter ?? 0) * 1.1 + 2 * MiB, `${s.name}: ${s.sizeAfter} within 10 % (+2 MiB) of in use ${s.inUseAfter}`);
    assert.ok(s.freedBytes > 50 * MiB, `${s.name} freed ${s.freedBytes}`);
  }
  // Data: the same keys and values, and every member's HashKV equal at one revision.
  assert.deepEqual(await copyPrefix(cluster, '/churn'), keysBefore);
  const status = JSON.parse((await runCli(['status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout);
  const hashes = await hashKvAll(cluster, status.cluster.revision);
  assert.equal(new Set(hashes).size, 1, `HashKV ${hashes.join(' ')}`);
  // The audit log holds every decision and step.
  const events = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line).event);
  assert.deepEqual(events.filter((e) => e !== 'step-start' && e !== 'step-done'), ['plan', 'compacted', 'planned', 'result']);
  assert.equal(events.filter((e) => e === 'step-done').length, 3);
});

test('nothing left to do: defrag skips every member, and says why', async () => {
  const result = await runCli(['defrag', '--yes', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /nothing to defragment/);
  assert.equal(result.stdout.match(/^etcd-\d: skip, (\d+(\.\d+)?% fragmented, below 45%|only .* to free, below 100 MiB)$/gm)?.length, 3, result.stdout);
});

test('--dry-run and refusing without --yes change nothing', async () => {
  await writeChurn(cluster, { rounds: 16, prefix: '/churn3/' });
  const before = JSON.parse((await runCli(['status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout);
  const dry = await runCli(['defrag', '--dry-run', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(dry.code, 0);
  const plan = JSON.parse(dry.stdout).plan;
  assert.equal(plan.steps.filter((s: { action: string }) => s.action === 'defrag').length, 3);
  assert.equal(plan.steps[2].isLeader, true);
  const refused = await runCli(['defrag', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /refusing to change the cluster without --yes/);
  const afterwards = JSON.parse((await runCli(['status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout);
  assert.deepEqual(afterwards.members.map((m: { dbSize: number }) => m.dbSize), before.members.map((m: { dbSize: number }) => m.dbSize));
});

test('on a terminal without --yes it asks: "n" changes nothing, "y" defragments', async () => {
  const sizes = async (): Promise<number[]> => JSON.parse((await runCli(['status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout)
    .members.map((m: { dbSize: number }) => m.dbSize);
  const before = await sizes();
  // `script` gives the command a real pseudo-terminal; its stdin feeds the answer.
  const ask = (answer: string) => spawnSync('script', ['-qec', `${process.execPath} ${CLI} defrag --endpoints ${cluster.endpoints.join(',')}`, '/dev/null'],
    { input: `${answer}\n`, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  const no = ask('n');
  assert.match(no.stdout, /Defragment 3 member\(s\), leader last\? \[y\/N\]/);
  assert.match(no.stdout, /nothing changed/);
  assert.deepEqual(await sizes(), before);
  const yes = ask('y');
  assert.match(yes.stdout, /\[3\/3\] defragmenting etcd-\d \([^)]*leader\)/);
  const after = await sizes();
  assert.ok(after.every((size, i) => size < (before[i] as number) / 2), `${before} -> ${after}`);
});
