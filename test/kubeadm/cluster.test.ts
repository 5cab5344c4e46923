// The real kubeadm cluster (test/kubeadm): control-plane nodes registered by real kubelets, etcd members running in
// real containers with kubeadm's own flags, the release's own kubectl working against it (get, describe, logs, events,
// exec, port-forward, auth can-i), @kubernetes/client-node's exec and port-forward reaching the members through the
// API server, the kubelet and containerd (exit codes, a binary the distroless image lacks, RBAC refusals), and `check`
// through its API server reading the same members as a direct connection.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Exec, KubeConfig, PortForward, type V1Status } from '@kubernetes/client-node';
import type { CheckReport } from '../../shared/analyse/report.ts';
import { runCli } from '../harness/cli.ts';
import { KubeadmSandbox } from '../harness/kubeadm.ts';

const run = promisify(execFile);

describe('a real kubeadm cluster', () => {
  let cluster: KubeadmSandbox;
  const kubectl = (...args: string[]) => run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });

  const config = (context?: string): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    if (context) kc.setCurrentContext(context);
    return kc;
  };
  const exec = async (pod: string, command: string[], context?: string) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => { out += c; });
    stderr.on('data', (c) => { err += c; });
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(config(context)).exec('kube-system', pod, 'etcd', command, stdout, stderr, null, false, resolve).catch(reject);
    });
    return { status, out, err };
  };
  const certFlags = ['--cacert=/etc/kubernetes/pki/etcd/ca.crt', '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt',
    '--key=/etc/kubernetes/pki/etcd/healthcheck-client.key', '--endpoints=https://127.0.0.1:2379'];

  before(async () => {
    cluster = await KubeadmSandbox.start();
    await cluster.etcdPodsReady();
  });
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

  it('kubectl get pods lists the etcd pods ready; logs --tail --timestamps; the kubelet\'s events in get events and describe', async () => {
    const { stdout } = await kubectl('get', 'pods', '-n', 'kube-system', '-l', 'component=etcd');
    const rows = stdout.trim().split('\n');
    assert.match(rows[0] as string, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.deepEqual(rows.slice(1).map((r) => r.split(/\s+/).slice(0, 3)), cluster.info.nodes.map((n) => [n.pod, '1/1', 'Running']));
    const tail = (await kubectl('logs', '-n', 'kube-system', cluster.info.nodes[1]?.pod ?? '', '--tail=2', '--timestamps')).stdout.trim().split('\n');
    assert.equal(tail.length, 2);
    for (const line of tail) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z \{"level":/);
    // The kubelet of the first node reports the container's life as events. (The joined nodes' kubelets start their
    // etcd while kubeadm join runs, before their events reach an API server: none of those are kept.)
    const events = (await kubectl('get', 'events', '-n', 'kube-system', '-o', 'json')).stdout;
    const first = cluster.info.nodes[0];
    assert.ok(first);
    const ofFirst = (JSON.parse(events) as { items: Array<{ reason: string; involvedObject: { name: string }; source: { component: string; host: string } }> }).items
      .filter((e) => e.involvedObject.name === first.pod && e.source.component === 'kubelet' && e.source.host === first.name).map((e) => e.reason);
    assert.deepEqual(['Pulled', 'Created', 'Started'].filter((r) => ofFirst.includes(r)), ['Pulled', 'Created', 'Started'], ofFirst.join(', '));
    assert.match((await kubectl('describe', 'pod', '-n', 'kube-system', first.pod)).stdout, /Normal\s+Started\s+\S+\s+kubelet\s+Started container etcd/);
    const third = cluster.info.nodes[2];
    assert.ok(third);
    const described = (await kubectl('describe', 'pod', '-n', 'kube-system', third.pod)).stdout;
    assert.match(described, new RegExp(`^Node:\\s+${third.name}/${third.ip.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(described, /^Priority Class Name:\s+system-node-critical$/m);
  });

  it('client-node\'s exec runs etcdctl in the pod: its output, a non-zero exit, a binary the image lacks, the viewer refused', async () => {
    const second = cluster.info.nodes[1];
    assert.ok(second);
    const { status, out } = await exec(second.pod, ['etcdctl', ...certFlags, 'endpoint', 'status', '-w', 'json']);
    assert.equal(status.status, 'Success');
    // Ids compared as the decimal text etcdctl wrote: JSON.parse would round these uint64s.
    const list = (await exec(second.pod, ['etcdctl', ...certFlags, 'member', 'list', '-w', 'json'])).out;
    const statusId = /"member_id":(\d+)/.exec(out)?.[1];
    assert.ok(statusId);
    assert.equal(statusId, new RegExp(`"ID":(\\d+),"name":"${second.name}"`).exec(list)?.[1]);
    const failed = await exec(second.pod, ['etcdctl', ...certFlags, 'get', '--no-such-flag']);
    assert.equal(failed.status.status, 'Failure');
    assert.equal(failed.status.reason, 'NonZeroExitCode');
    assert.equal(failed.status.details?.causes?.[0]?.message, '1');
    assert.match(failed.err, /unknown flag: --no-such-flag/);
    // kubeadm's etcd image has no shell: runc says so, through containerd, the kubelet and the API server.
    const shell = await exec(second.pod, ['sh', '-c', 'true']);
    assert.equal(shell.status.status, 'Failure');
    assert.match(shell.status.message ?? '', /exec: "sh": executable file not found in \$PATH/);
    // ws reports a refused upgrade as "Unexpected server response: 403".
    await assert.rejects(exec(second.pod, ['etcdctl', 'version'], 'viewer@etcd-perf'), (error: { message?: string }) => /403/.test(String(error.message)));
  });

  it('port-forward reaches the member\'s metrics port: client-node\'s, and the release\'s kubectl', async () => {
    const third = cluster.info.nodes[2];
    assert.ok(third);
    const input = new PassThrough();
    const output = new PassThrough();
    let body = '';
    output.on('data', (c) => { body += c; });
    const ws = await new PortForward(config()).portForward('kube-system', third.pod, [2381], output, null, input);
    const closed = new Promise((resolve) => (ws as unknown as { on(e: string, f: () => void): void }).on('close', () => resolve(undefined)));
    input.write('GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n');
    await closed;
    assert.match(body, /^HTTP\/1\.0 200 OK/);
    assert.match(body, /\netcd_server_has_leader 1\n/);
    const forward = await cluster.portForward(third.pod, 2381);
    try {
      const metrics = await (await fetch(`http://127.0.0.1:${forward.port}/metrics`)).text();
      assert.match(metrics, /\netcd_server_has_leader 1\n/);
    } finally {
      forward.stop();
    }
  });

  it('no metrics API is served (no metrics-server): what check reports as unknown usage', async () => {
    await assert.rejects(kubectl('get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods'), (error: { stderr?: string }) => /NotFound|could not find/i.test(error.stderr ?? ''));
  });
});
