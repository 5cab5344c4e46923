// A real etcd 3.5.5 (the defragmentation crash of 3.5.0-3.5.5, built by scripts/ensure-etcd.sh): maintain refuses to
// defragment it and names the bug; check names it with the release to move to. MATRIX: once (it runs its own version).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CheckReport } from '../../shared/analyse/report.ts';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { runCli } from '../harness/cli.ts';
import { etcdBinDir } from '../harness/etcd.ts';

let cluster: LocalCluster;

before(async () => {
  cluster = await LocalCluster.start({ size: 3, etcdBinary: join(etcdBinDir('3.5.5'), 'etcd') });
  await writeChurn(cluster, { rounds: 4 });
  await cluster.waitSettled();
});

after(async () => { await cluster?.dispose(); });

test('maintain refuses online defragmentation on 3.5.5, names the bug, and changes nothing', async () => {
  const endpoints = ['--endpoints', cluster.endpoints.join(',')];
  const before = JSON.parse((await runCli(['status', '-o', 'json', ...endpoints])).stdout) as CheckReport;
  assert.deepEqual(before.members.map((m) => m.version), ['3.5.5', '3.5.5', '3.5.5']);
  const run = await runCli(['maintain', '--yes', '--all', ...endpoints]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout + run.stderr, /etcd-1 runs etcd 3\.5\.5: a member that crashes during an online defragmentation can come back with a revision that differs from the others \(fixed in 3\.5\.6; .*#14733.*upgrade to 3\.5\.35 first/);
  const after = JSON.parse((await runCli(['status', '-o', 'json', ...endpoints])).stdout) as CheckReport;
  assert.deepEqual(after.members.map((m) => m.dbSize), before.members.map((m) => m.dbSize), 'no member defragmented');
});

test('check names 3.5.5\'s known bugs, critical, with 3.5.35 as the target', async () => {
  const report = JSON.parse((await runCli(['check', '--window', '0', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout) as CheckReport;
  const bugs = report.findings.find((f) => f.id === 'etcd-version-bugs');
  assert.equal(bugs?.severity, 'crit');
  assert.match(bugs?.recommendation ?? '', /^Upgrade etcd-1, etcd-2, etcd-3 to 3\.5\.35, the newest 3\.5 release/);
  assert.equal(report.verdict.status, 'critical');
});
