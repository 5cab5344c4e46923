// A cluster that filled its quota (NOSPACE: no writes accepted) brought back by `maintain`: compaction, every member
// defragmented, the alarm disarmed, writes accepted again. The lock cannot be written then: a warning, not a stop.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalCluster } from '../../shared/demo/local-cluster.ts';
import { runCli } from '../harness/cli.ts';
import type { MaintainResult } from '../../shared/entry/maintain.ts';

const QUOTA = 24 * 1024 * 1024;
let cluster: LocalCluster;

before(async () => {
  cluster = await LocalCluster.start({ size: 3, quotaBackendBytes: QUOTA });
});

after(async () => { await cluster?.dispose(); });

test('maintain brings a NOSPACE cluster back to accepting writes', async () => {
  const client = cluster.client();
  const value = Buffer.alloc(256 * 1024, 'n');
  let refusal = '';
  for (let i = 0; i < 1000 && !refusal; i += 1) {
    try {
      await client.put(`/fill/${i % 20}`).value(value);
    } catch (error) {
      refusal = (error as Error).message;
    }
  }
  assert.match(refusal, /database space exceeded/);
  assert.match(cluster.etcdctl(['alarm', 'list']), /alarm:NOSPACE/);

  const check = JSON.parse((await runCli(['check', '--window', '0', '-o', 'json', '--endpoints', cluster.endpoints.join(',')])).stdout);
  const alarm = check.findings.find((f: { id: string }) => f.id === 'alarm-nospace');
  assert.equal(alarm?.severity, 'crit');
  assert.match(alarm?.title ?? '', /NOSPACE alarm raised by etcd-\d: the cluster accepts no writes/);
  assert.deepEqual(check.members.flatMap((m: { alarms: string[] }) => m.alarms).filter((a: string) => a === 'NOSPACE').length > 0, true);

  const result = await runCli(['maintain', '--yes', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /warning: proceeding without the maintenance lock: the cluster takes no writes \(NOSPACE\)/);
  const report = JSON.parse(result.stdout) as MaintainResult;
  assert.equal(report.lock, 'unavailable');
  assert.equal(report.defrag?.steps.filter((s) => s.status === 'done').length, 3);
  for (const s of report.defrag?.steps ?? []) assert.ok((s.sizeAfter ?? QUOTA) < QUOTA, `${s.name} under the quota: ${s.sizeAfter}`);
  assert.ok((report.defrag?.alarmsDisarmed.length ?? 0) >= 1);
  assert.doesNotMatch(cluster.etcdctl(['alarm', 'list']), /NOSPACE/);
  await client.put('/after-maintenance').value('accepted');
  assert.equal(await client.get('/after-maintenance').string(), 'accepted');
  client.close();
});
