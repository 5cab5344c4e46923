// The real kubeadm cluster (test/kubeadm): control-plane nodes registered by real kubelets, etcd members running in
// real containers with kubeadm's own flags, the release's own kubectl working against it (get, describe, logs, exec,
// auth can-i), and `check` through its API server reading the same members as a direct connection.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { CheckReport } from '../../shared/analyse/report.ts';
import { runCli } from '../harness/cli.ts';
import { KubeadmSandbox } from '../harness/kubeadm.ts';

const run = promisify(execFile);

describe('a real kubeadm cluster', () => {
  let cluster: KubeadmSandbox;
  const kubectl = (...args: string[]) => run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });

  before(async () => { cluster = await KubeadmSandbox.start(); });
  after(async () => { await cluster?.stop(); });

  it('every control-plane node is registered, NotReady only for want of a CNI, and its etcd runs in a container', async () => {
    const nodes = JSON.parse((await kubectl('get', 'nodes', '-o', 'json')).stdout) as {
      items: Array<{ metadata: { name: string; labels: Record<string, string> }; status: { conditions: Array<{ type: string; status: string; message: string }>; nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string } } }>;
    };
    assert.deepEqual(nodes.items.map((n) => n.metadata.name).sort(), cluster.info.nodes.map((n) => n.name));
    for (const node of nodes.items) {
      assert.ok('node-role.kubernetes.io/control-plane' in node.metadata.labels, `${node.metadata.name} is a control-plane node`);
      assert.equal(node.status.nodeInfo.kubeletVersion, cluster.info.kubernetesVersion);
      assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\//);
      const ready = node.status.conditions.find((c) => c.type === 'Ready');
      if (ready?.status !== 'True') assert.match(ready?.message ?? '', /network plugin|cni/i, `${node.metadata.name} NotReady for the network only: ${ready?.message}`);
    }
    const pods = JSON.parse((await kubectl('get', 'pods', '-n', 'kube-system', '-l', 'component=etcd', '-o', 'json')).stdout) as {
      items: Array<{ metadata: { name: string }; spec: { nodeName: string; containers: Array<{ image: string; command: string[] }> }; status: { phase: string; containerStatuses: Array<{ containerID: string; ready: boolean; imageID: string }> } }>;
    };
    assert.deepEqual(pods.items.map((p) => p.metadata.name).sort(), cluster.info.nodes.map((n) => n.pod));
    for (const pod of pods.items) {
      assert.equal(pod.status.phase, 'Running');
      assert.match(pod.status.containerStatuses[0]?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/, `${pod.metadata.name} runs in a container`);
      assert.equal(pod.spec.containers[0]?.image, `registry.k8s.io/etcd:${cluster.info.etcdVersion}-0`);
      // kubeadm's own flags for a 3.6 member (3.5 would get the --experimental-* spellings).
      assert.ok(pod.spec.containers[0]?.command.includes('--feature-gates=InitialCorruptCheck=true'), pod.spec.containers[0]?.command.join(' '));
    }
  });

  it('the release\'s kubectl describes, reads logs, execs etcdctl in the distroless image, and RBAC tells the viewer no', async () => {
    const [node] = cluster.info.nodes;
    assert.ok(node);
    assert.match((await kubectl('describe', 'pod', '-n', 'kube-system', node.pod)).stdout, /Status:\s+Running/);
    assert.match((await kubectl('logs', '-n', 'kube-system', node.pod, '--tail', '200')).stdout, /"msg":"/, 'zap JSON lines from the member');
    const { stdout } = await kubectl('exec', '-n', 'kube-system', node.pod, '--', 'etcdctl', '--endpoints=https://127.0.0.1:2379',
      '--cacert=/etc/kubernetes/pki/etcd/ca.crt', '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt',
      '--key=/etc/kubernetes/pki/etcd/healthcheck-client.key', 'member', 'list', '-w', 'json');
    const members = (JSON.parse(stdout) as { members: Array<{ name: string }> }).members.map((m) => m.name).sort();
    assert.deepEqual(members, cluster.info.nodes.map((n) => n.name));
    const asViewer = (...args: string[]) => run(cluster.kubectl, ['--kubeconfig', cluster.viewerKubeconfig, ...args], { encoding: 'utf8' }).then((r) => r.stdout.trim(), (e: { stdout: string }) => e.stdout.trim());
    assert.equal(await asViewer('auth', 'can-i', 'get', 'pods', '-n', 'kube-system'), 'yes');
    assert.equal(await asViewer('auth', 'can-i', 'create', 'pods/exec', '-n', 'kube-system'), 'no');
    assert.equal(await asViewer('auth', 'can-i', 'create', 'pods/portforward', '-n', 'kube-system'), 'no');
  });

  it('check through the API server reads every member, with the same sizes and ids as a direct check', async () => {
    const [kube, straight] = await Promise.all([
      runCli(['check', '--window', '1s', '-o', 'json', '--kubeconfig', cluster.kubeconfig]),
      runCli(['check', '--window', '1s', '-o', 'json', ...cluster.directFlags()]),
    ]);
    assert.equal(kube.code === 0 || kube.code === 1, true, kube.stderr);
    assert.equal(straight.code === 0 || straight.code === 1, true, straight.stderr);
    const ours = JSON.parse(kube.stdout) as CheckReport;
    const theirs = JSON.parse(straight.stdout) as CheckReport;
    const ids = (r: CheckReport) => r.members.map((m) => [m.name, m.id, m.isLeader]);
    assert.deepEqual(ids(ours), ids(theirs));
    assert.equal(ours.members.length, cluster.info.nodes.length);
    // Sizes agree within what the API server writes between the two reads (leases, events: a few pages).
    for (const member of ours.members) {
      const other = theirs.members.find((m) => m.name === member.name);
      assert.ok(Math.abs((member.dbSize ?? 0) - (other?.dbSize ?? 0)) <= 1024 * 1024, `${member.name}: ${member.dbSize} against ${other?.dbSize}`);
    }
    assert.deepEqual(ours.kubernetes?.pods.map((p) => [p.pod, p.node, p.state]), cluster.info.nodes.map((n) => [n.pod, n.name, 'Running']));
    assert.ok(readFileSync(cluster.info.nodes[0]?.manifest ?? '', 'utf8').includes('kubeadm.kubernetes.io/etcd.advertise-client-urls'), 'kubeadm wrote the manifest');
  });
});
