// The extension's Kubernetes path in a real VS Code (code-server, driven through headless Chromium): a cluster given
// as a kubeconfig context of the real kubeadm cluster (test/kubeadm) lists its etcd pods in the etcd view, read through
// its API server from inside VS Code's extension host (whose patched https would drop the client certificate of a
// kubeadm kubeconfig: shared/connect/kubernetes/http.ts), with the sizes and fragmentation a direct read gives.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CheckReport } from '../../shared/analyse/report.ts';
import { runCli } from '../harness/cli.ts';
import { startCodeServer, waitFor, type CodeServer } from '../harness/code-server.ts';
import { KubeadmSandbox } from '../harness/kubeadm.ts';

const ARTIFACTS = join(__dirname, '../../test-artifacts');
let cluster: KubeadmSandbox;
let code: CodeServer;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  cluster = await KubeadmSandbox.start();
  await cluster.etcdPodsReady();
  code = await startCodeServer([{ name: 'kubeadm', kubernetes: { kubeconfig: cluster.kubeconfig, context: 'kubernetes-admin@etcd-perf' } }]);
});

after(async () => {
  await code?.stop();
  await cluster?.stop();
});

test('a kubeconfig context lists the kubeadm cluster\'s etcd pods through its API server, with their real sizes', async () => {
  const rows = await waitFor('three rows of the kubeadm cluster', async () => {
    const members = (await code.treeRows()).filter((t) => /^cp-\d/.test(t) && /frag \d+%/.test(t));
    return members.length === 3 ? members : undefined;
  }).catch(async (error: Error) => {
    await code.page.screenshot({ path: join(ARTIFACTS, 'vscode-tree-kubernetes-failed.png') });
    throw new Error(`${error.message}; the tree shows: ${(await code.treeRows()).join(' | ')}`);
  });
  await code.page.screenshot({ path: join(ARTIFACTS, 'vscode-tree-kubernetes.png') });
  const truth = JSON.parse((await runCli(['status', '-o', 'json', ...cluster.directFlags()])).stdout) as CheckReport;
  assert.deepEqual(rows.map((r) => /^cp-\d/.exec(r)?.[0]).sort(), ['cp-1', 'cp-2', 'cp-3']);
  const units: Record<string, number> = { KiB: 1024, MiB: 1024 * 1024 };
  for (const member of truth.members) {
    const row = rows.find((r) => r.startsWith(member.name)) ?? '';
    // The API server writes all the time (leases, events): sizes and fragmentation move a little between the two reads.
    assert.ok(Math.abs(Number(/frag (\d+)%/.exec(row)?.[1]) - (member.fragmentationPercent ?? 0)) <= 5, `${member.name}: "${row}" vs ${member.fragmentationPercent}%`);
    const db = /db (\d+(?:\.\d+)?) (KiB|MiB)/.exec(row);
    assert.ok(db, `${member.name}: a size in "${row}"`);
    assert.ok(Math.abs(Number(db[1]) * (units[db[2] as string] ?? 0) - (member.dbSize ?? 0)) <= 1024 * 1024, `${member.name}: "${row}" vs ${member.dbSize} bytes`);
  }
});
