// `kubectl etcd-perf` through the Kubernetes API of the sandbox: the same numbers as a direct connection with the
// sandbox's certificates, found by real `kubectl plugin list` and run as `kubectl etcd-perf`, `maintain` defragmenting
// every member leader last, and each bad input or fault as a one-line error with the right exit code.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import type { CheckReport } from '../../shared/analyse/report.ts';
import type { MaintainResult } from '../../shared/entry/maintain.ts';
import { MiB } from '../../shared/util/bytes.ts';
import { CLI, runCli } from '../harness/cli.ts';
import { Sandbox } from '../harness/sandbox.ts';
import { snapshotStatus } from '../harness/etcd.ts';

const run = promisify(execFile);

/** History worth compacting and defragmenting: 64 KiB values written three times over, then half deleted. */
async function churn(sandbox: Sandbox): Promise<void> {
  const node = sandbox.info.nodes[0];
  assert.ok(node);
  const client = new Etcd3({
    hosts: sandbox.info.nodes.map((n) => n.clientUrl),
    credentials: { rootCertificate: readFileSync(node.pki.ca), certChain: readFileSync(node.pki.cert), privateKey: readFileSync(node.pki.key) },
  });
  try {
    const value = 'x'.repeat(64 * 1024);
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(Array.from({ length: 150 }, (_, i) => client.put(`/registry/configmaps/default/cm-${i}`).value(`${round}${value}`)));
    }
    await client.delete().prefix('/registry/configmaps/default/cm-1');
  } finally {
    client.close();
  }
}

describe('kubectl etcd-perf through Kubernetes', () => {
  let sandbox: Sandbox;
  const viaKube = (...args: string[]) => runCli([...args, '--kubeconfig', sandbox.kubeconfig]);
  const direct = (...args: string[]) => runCli([...args, ...sandbox.directFlags()]);

  before(async () => {
    sandbox = await Sandbox.start();
    await churn(sandbox);
  });
  after(async () => { await sandbox?.stop(); });

  it('check reads all three members through the API server, with the same sizes as a direct check', async () => {
    const [kube, straight] = await Promise.all([viaKube('check', '--window', '1s', '-o', 'json'), direct('check', '--window', '1s', '-o', 'json')]);
    assert.equal(kube.code, 0, kube.stderr);
    assert.equal(straight.code, 0, straight.stderr);
    const ours = JSON.parse(kube.stdout) as CheckReport;
    const theirs = JSON.parse(straight.stdout) as CheckReport;
    const sizes = (r: CheckReport) => r.members.map((m) => ({ name: m.name, id: m.id, dbSize: m.dbSize, inUse: m.dbSizeInUse, leader: m.isLeader, healthy: m.healthy }));
    assert.deepEqual(sizes(ours), sizes(theirs));
    assert.equal(ours.members.length, 3);
    assert.ok(ours.members.every((m) => (m.dbSize ?? 0) > 20 * MiB), 'the churn is there');
    for (const member of ours.members) {
      assert.ok(member.metrics, `${member.name}: metrics through port-forward`);
      assert.ok((member.metrics?.walFsyncP99Seconds ?? -1) >= 0, `${member.name}: fsync p99 measured`);
    }
    // Through Kubernetes, check also says how the members are deployed: pod state and usage, and its own findings.
    // peer-rtt is judged only when the members probed each other within the window: two 1 s windows may differ.
    const cluster = (r: CheckReport) => r.findings.filter((f) => !/^(config|pod|log)-|^peer-rtt$/.test(f.id)).map((f) => f.id).sort();
    assert.deepEqual(cluster(ours), cluster(theirs));
    assert.equal(theirs.kubernetes, undefined);
    assert.deepEqual(ours.kubernetes?.pods.map((p) => [p.pod, p.member, p.node, p.state, p.restarts]),
      [['etcd-cp-1', 'cp-1', 'cp-1', 'Running', 0], ['etcd-cp-2', 'cp-2', 'cp-2', 'Running', 0], ['etcd-cp-3', 'cp-3', 'cp-3', 'Running', 0]]);
    for (const pod of ours.kubernetes?.pods ?? []) {
      assert.ok((pod.memoryBytes ?? 0) > MiB, `${pod.pod}: memory from the metrics API`);
      assert.ok((pod.cpuCores ?? -1) >= 0 && (pod.cpuCores ?? 99) < 4, `${pod.pod}: CPU cores ${pod.cpuCores}`);
    }
    assert.equal(ours.kubernetes?.usageError, null);
  });

  it('status asks the API server only for the pods and the members; check also reads logs, events, nodes, pod metrics', async () => {
    const costly = (requests: string[]): string[] => requests.filter((r) => /\/pods\/[^/]+\/log$|\/events$|\/nodes\/|metrics\.k8s\.io/.test(r));
    const beforeStatus = sandbox.requests().length;
    const status = await viaKube('status', '-o', 'json');
    assert.equal(status.code, 0, status.stderr);
    const byStatus = sandbox.requests().slice(beforeStatus);
    assert.ok(byStatus.some((r) => /\/pods\/etcd-cp-\d\/exec$/.test(r)), `status read the members through exec: ${byStatus.join(', ')}`);
    assert.deepEqual(costly(byStatus), [], 'no pod log, event, node or pod metrics request');
    const beforeCheck = sandbox.requests().length;
    const check = await viaKube('check', '--window', '0', '-o', 'json');
    assert.equal((JSON.parse(check.stdout) as CheckReport).members.length, 3, check.stderr);
    const byCheck = costly(sandbox.requests().slice(beforeCheck));
    assert.equal(byCheck.filter((r) => /\/log$/.test(r)).length, 3, `check read each etcd pod's log: ${byCheck.join(', ')}`);
    assert.ok(byCheck.some((r) => /\/events$/.test(r)) && byCheck.some((r) => /\/nodes\//.test(r)), 'and the events and nodes');
  });

  it('logs without files reads every etcd pod\'s own log through the API server', async () => {
    const result = await viaKube('logs', '--since', '1h', '-o', 'json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { sources: Array<{ name: string; lines: number; format: string }> };
    assert.deepEqual(report.sources.map((s) => s.name).sort(), sandbox.info.nodes.map((n) => `pod kube-system/${n.pod}`).sort());
    assert.ok(report.sources.every((s) => s.lines > 10 && s.format !== 'empty'), JSON.stringify(report.sources));
  });

  it('kubectl plugin list finds kubectl-etcd_perf on PATH, and kubectl etcd-perf runs it', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'etcd-perf-bin-'));
    symlinkSync(CLI, join(bin, 'kubectl-etcd_perf'));
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: sandbox.kubeconfig };
    const { stdout } = await run('kubectl', ['plugin', 'list'], { env });
    assert.match(stdout, new RegExp(`${join(bin, 'kubectl-etcd_perf')}`));
    const status = await run('kubectl', ['etcd-perf', 'status', '-o', 'json'], { env });
    const report = JSON.parse(status.stdout) as CheckReport;
    assert.deepEqual(report.members.map((m) => m.name), ['cp-1', 'cp-2', 'cp-3']);
  });

  it('maintain --yes defragments every member through the pods, leader last, and direct status agrees', async () => {
    const result = await viaKube('maintain', '--yes', '--all', '-o', 'json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as MaintainResult;
    assert.equal(report.lock, 'acquired');
    assert.ok(report.compaction?.members.every((m) => m.finished), 'every member compacted');
    const steps = report.defrag?.steps ?? [];
    assert.equal(steps.length, 3);
    assert.deepEqual(steps.map((s) => s.wasLeader), [false, false, true], 'followers first, the leader last');
    assert.ok(steps.every((s) => s.status === 'done' && s.healthyAfter === true && s.freedBytes > 10 * MiB), JSON.stringify(steps));
    const after = JSON.parse((await direct('status', '-o', 'json')).stdout) as CheckReport;
    for (const step of steps) {
      // Within 1 MiB: releasing the lock and the writes after the defragmentation grow the file a little.
      const member = after.members.find((m) => m.name === step.name);
      assert.ok(Math.abs((member?.dbSize ?? 0) - (step.sizeAfter ?? 0)) < MiB, `${step.name}: direct status sees ${member?.dbSize}, maintain reported ${step.sizeAfter}`);
      assert.ok((member?.dbSize ?? Infinity) < step.sizeBefore - 10 * MiB, `${step.name}: smaller than before`);
    }
  });

  it('snapshot: refused as a local file with the reason, saved on the node with --on-node and read back there', async () => {
    const local = await viaKube('snapshot', 'save', join(tmpdir(), 'etcd-perf-k8s.db'));
    assert.equal(local.code, 2);
    assert.match(local.stderr, /^error: a snapshot cannot be copied out through Kubernetes: .* snapshot save --on-node \/var\/lib\/etcd\/snapshot\.db/);
    const saved = await viaKube('snapshot', 'save', '--on-node', '/var/lib/etcd/backup.db', '-o', 'json');
    assert.equal(saved.code, 0, saved.stderr);
    const result = JSON.parse(saved.stdout) as { node: string; member: string; nodePath: string; revision: number; keys: number; hash: string; bytes: number };
    const node = sandbox.info.nodes.find((n) => n.name === result.node);
    assert.ok(node, `saved on a sandbox node (${result.node})`);
    // The file is on that node's disk, and the real etcdctl on this machine reads the same database.
    const onDisk = snapshotStatus(join(node.root, result.nodePath));
    assert.deepEqual([onDisk.hash.toString(16).padStart(8, '0'), onDisk.revision, onDisk.totalKey, onDisk.totalSize], [result.hash, result.revision, result.keys, result.bytes]);
    const status = JSON.parse((await direct('status', '-o', 'json')).stdout) as CheckReport;
    assert.equal(result.revision, status.cluster.revision, 'the snapshot holds the current revision');
    assert.ok(result.keys >= 75, `the churn's keys are in it (${result.keys})`);
    // The same member again (by default the healthiest follower is chosen, which may be the other one).
    const again = await viaKube('snapshot', 'save', '--on-node', '/var/lib/etcd/backup.db', '--member', result.member);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^error: \/var\/lib\/etcd\/backup\.db exists in pod etcd-cp-\d: choose another name, or --force to replace it\n$/);
    assert.equal((await viaKube('snapshot', 'save', '--on-node', '/var/lib/etcd/backup.db', '--member', result.member, '--force')).code, 0);
    const outside = await viaKube('snapshot', 'save', '--on-node', '/tmp/backup.db');
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /not on a hostPath volume of pod etcd-cp-\d, so the file would go with the container; use a path under \/var\/lib\/etcd/);
  });

  it('bad input: a kubeconfig that is not there, an unknown context, no etcd pods, --endpoints with --context', async () => {
    const cases: [string[], RegExp][] = [
      [['status', '--kubeconfig', '/nonexistent/kubeconfig'], /^error: --kubeconfig: cannot read \/nonexistent\/kubeconfig \(no such file\)\n$/],
      [['status', '--kubeconfig', sandbox.kubeconfig, '--context', 'prod'], /^error: --context: no context "prod" in .* \(contexts: kubernetes-admin@sandbox, viewer@sandbox\)\n$/],
      [['status', '--kubeconfig', sandbox.kubeconfig, '-n', 'etcd'], /^error: no etcd pods found with selector component=etcd in namespace etcd .*try -n\/--namespace and --selector\n$/],
      [['status', '--kubeconfig', sandbox.kubeconfig, '--selector', 'app=etcd'], /^error: no etcd pods found with selector app=etcd in namespace kube-system/],
      [['status', '--context', 'x', '--endpoints', '127.0.0.1:2379'], /^error: --endpoints and the Kubernetes connection .* exclude each other/],
      [['snapshot', 'save', '--on-node', '/var/lib/etcd/x.db', '--endpoints', '127.0.0.1:1'], /^error: --on-node is for the Kubernetes transport: give a local FILE/],
    ];
    for (const [args, expected] of cases) {
      const result = await runCli(args, { HOME: mkdtempSync(join(tmpdir(), 'etcd-perf-home-')) });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
    }
    const noConfig = await runCli(['status', '--context', 'x'], { HOME: mkdtempSync(join(tmpdir(), 'etcd-perf-home-')) });
    assert.equal(noConfig.code, 2);
    assert.match(noConfig.stderr, /^error: no kubeconfig found \(tried --kubeconfig, KUBECONFIG and ~\/.kube\/config\)/);
  });

  it('forbidden by RBAC: says which verb on which resource', async () => {
    const result = await runCli(['check', '--window', '0', '--kubeconfig', sandbox.kubeconfig, '--context', 'viewer@sandbox']);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, 'error: forbidden: the kubeconfig\'s user may not create "pods/exec" in namespace kube-system (RBAC)\n');
  });

  it('an etcdctl that fails inside one pod, then a pod that is not running: that member\'s error, the others read', async () => {
    const [, second, third] = sandbox.info.nodes;
    assert.ok(second && third);
    const key = join(second.root, 'etc/kubernetes/pki/etcd/server.key');
    renameSync(key, `${key}.away`);
    try {
      const result = await viaKube('status', '-o', 'json');
      const report = JSON.parse(result.stdout) as CheckReport;
      const broken = report.members.find((m) => m.name === 'cp-2' || m.endpoint === second.clientUrl);
      assert.match(broken?.error ?? '', /server\.key: no such file or directory/);
      assert.equal(report.members.filter((m) => m.healthy).length, 2);
    } finally {
      renameSync(`${key}.away`, key);
    }
    process.kill(third.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const result = await viaKube('check', '--window', '0', '-o', 'json');
    const report = JSON.parse(result.stdout) as CheckReport;
    const down = report.members.find((m) => m.name === 'cp-3');
    assert.equal(down?.error, 'unreachable: pod kube-system/etcd-cp-3 is not running (CrashLoopBackOff)');
    assert.ok(report.findings.some((f) => f.id === 'member-unreachable' && f.member === 'cp-3'));
    assert.equal(report.members.filter((m) => m.healthy).length, 2);
  });
});

describe('check through Kubernetes: the config audit of the pods, and their logs', () => {
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await Sandbox.start(['--no-metrics-api', '--etcd-flag=--auto-compaction-retention=8',
      '--etcd-flag=--quota-backend-bytes=17179869184', '--member-flag=cp-2:--heartbeat-interval=150']);
  });
  after(async () => { await sandbox?.stop(); });

  it('finds what the manifests get wrong, what the logs say after the leader froze, and says usage is unknown', async () => {
    const status = JSON.parse((await runCli(['status', '-o', 'json', '--kubeconfig', sandbox.kubeconfig])).stdout) as CheckReport;
    const leader = status.members.find((m) => m.isLeader);
    const node = sandbox.info.nodes.find((n) => n.name === leader?.name);
    assert.ok(node, 'a leader');
    // A real fault: the leader's process frozen past the election timeout. Its followers lose it and elect another.
    // etcd randomises each follower's timeout in [1, 2) x --election-timeout (1 s): 3 s is past every one of them.
    process.kill(node.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 3000));
    process.kill(node.pid, 'SIGCONT');
    await new Promise((r) => setTimeout(r, 1500));
    const result = await runCli(['check', '--window', '1s', '-o', 'json', '--kubeconfig', sandbox.kubeconfig]);
    const report = JSON.parse(result.stdout) as CheckReport;
    const find = (id: string) => report.findings.filter((f) => f.id === id);
    const quota = find('config-quota-large');
    assert.equal(quota.length, 1, 'alike on every member: one finding');
    assert.match(quota[0]?.recommendation ?? '', /--quota-backend-bytes=8589934592$/);
    assert.equal(find('config-timing-mismatch')[0]?.title, '--heartbeat-interval differs between members: 100 vs 150 ms');
    assert.equal(find('config-auto-compaction-redundant').length, 1);
    assert.equal(find('config-data-dir-volume')[0]?.severity, 'info');
    // Both followers log the lost leader (the frozen one may too, as it steps down on waking).
    const lost = find('log-leader-lost').map((f) => f.member);
    for (const follower of sandbox.info.nodes.filter((n) => n !== node)) assert.ok(lost.includes(follower.name), `${follower.name} logged the lost leader (${lost.join(', ')})`);
    // The same logs, event by event, in the report's timeline: every pod a source, the lost leaders all on it.
    assert.deepEqual(report.logs?.sources.map((source) => source.name).sort(), sandbox.info.nodes.map((n) => `pod kube-system/${n.pod}`).sort());
    const perPod = (report.kubernetes?.pods ?? []).reduce((n, p) => n + (p.log?.['leader-lost']?.count ?? 0), 0);
    assert.equal(report.logs?.timeline.reduce((n, minute) => n + (minute['leader-lost'] ?? 0), 0), perPod);
    assert.ok(perPod >= 2, `${perPod} lost leaders logged`);
    assert.match(find('pod-usage-unknown')[0]?.evidence ?? '', /metrics API \(metrics\.k8s\.io\) is not served/);
    assert.ok(report.kubernetes?.pods.every((p) => p.cpuCores === null && p.memoryBytes === null));
    assert.equal(report.kubernetes?.usageError?.startsWith('the metrics API (metrics.k8s.io) is not served'), true);
    const text = await runCli(['check', '--window', '0', '--kubeconfig', sandbox.kubeconfig]);
    assert.match(text.stdout, /through Kubernetes: context kubernetes-admin@sandbox, 3 etcd pods in kube-system \(CPU and memory unknown: no metrics API\)/);
  });
});
