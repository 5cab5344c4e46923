// `kubectl etcd-perf` through the real kubeadm cluster's API server (test/kubeadm): the same numbers as a direct
// connection with kubeadm's certificates, found by the release's `kubectl plugin list` and run as `kubectl etcd-perf`,
// `maintain` defragmenting every member leader last through exec, what it asks the API server (its audit log), real
// faults (a key gone from a node, an etcd container killed mid-check and restarted by the kubelet, a manifest edited
// on one node) and each bad input (wrong context, RBAC refusal, untrusted certificates) as one line with its exit code.

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { CheckReport } from '../../shared/analyse/report.ts';
import type { MaintainResult } from '../../shared/entry/maintain.ts';
import { MiB } from '../../shared/util/bytes.ts';
import { CLI, runCli } from '../harness/cli.ts';
import { KubeadmSandbox } from '../harness/kubeadm.ts';
import { snapshotStatus } from '../harness/etcd.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ADMIN = 'kubernetes-admin@etcd-perf';
const VIEWER = 'viewer@etcd-perf';

/** History worth compacting and defragmenting, then half of it deleted. */
async function churn(cluster: KubeadmSandbox): Promise<void> {
  await cluster.writeHistory('/etcd-perf-test/churn-');
  const client = cluster.etcdClient();
  try {
    await client.delete().prefix('/etcd-perf-test/churn-1');
  } finally {
    client.close();
  }
}

describe('kubectl etcd-perf through the API server of a real kubeadm cluster', () => {
  let cluster: KubeadmSandbox;
  const viaKube = (...args: string[]) => runCli([...args, '--kubeconfig', cluster.kubeconfig]);
  const direct = (...args: string[]) => runCli([...args, ...cluster.directFlags()]);

  before(async () => {
    cluster = await KubeadmSandbox.start();
    await cluster.etcdPodsReady();
    await churn(cluster);
  });
  after(async () => { await cluster?.stop(); });

  it('check reads all three members through the API server, with the same ids and sizes as a direct check', async () => {
    const [kube, straight] = await Promise.all([viaKube('check', '--window', '1s', '-o', 'json'), direct('check', '--window', '1s', '-o', 'json')]);
    assert.ok(kube.code === 0 || kube.code === 1, kube.stderr);
    assert.ok(straight.code === 0 || straight.code === 1, straight.stderr);
    const ours = JSON.parse(kube.stdout) as CheckReport;
    const theirs = JSON.parse(straight.stdout) as CheckReport;
    const ids = (r: CheckReport) => r.members.map((m) => ({ name: m.name, id: m.id, leader: m.isLeader, healthy: m.healthy }));
    assert.deepEqual(ids(ours), ids(theirs));
    assert.equal(ours.members.length, 3);
    for (const member of ours.members) {
      // Within 1 MiB: the API server writes (leases, events) between the two reads.
      const other = theirs.members.find((m) => m.name === member.name);
      assert.ok(Math.abs((member.dbSize ?? 0) - (other?.dbSize ?? 0)) <= MiB, `${member.name}: ${member.dbSize} vs ${other?.dbSize}`);
      assert.ok((member.dbSize ?? 0) > 20 * MiB, `${member.name}: the churn is there`);
      assert.ok(member.metrics, `${member.name}: metrics through port-forward`);
      assert.ok((member.metrics?.walFsyncP99Seconds ?? -1) >= 0, `${member.name}: fsync p99 measured`);
    }
    // Through Kubernetes, check also says how the members are deployed: pod state, and its own findings.
    // peer-rtt and election-timeout are judged on the peer RTT within each window: two 1 s windows on a busy control
    // plane may differ (seen: a p99 that put the election timeout under 10x RTT in one window only).
    const found = (r: CheckReport) => r.findings.filter((f) => !/^(config|pod|log)-|^peer-rtt$|^election-timeout$/.test(f.id)).map((f) => f.id).sort();
    assert.deepEqual(found(ours), found(theirs));
    assert.equal(theirs.kubernetes, undefined);
    assert.deepEqual(ours.kubernetes?.pods.map((p) => [p.pod, p.member, p.node, p.state]),
      [['etcd-cp-1', 'cp-1', 'cp-1', 'Running'], ['etcd-cp-2', 'cp-2', 'cp-2', 'Running'], ['etcd-cp-3', 'cp-3', 'cp-3', 'Running']]);
    // No metrics-server here: usage is unknown, and said so.
    assert.ok(ours.kubernetes?.pods.every((p) => p.cpuCores === null && p.memoryBytes === null));
    assert.match(ours.kubernetes?.usageError ?? '', /^the metrics API \(metrics\.k8s\.io\) is not served/);
    assert.match(ours.findings.find((f) => f.id === 'pod-usage-unknown')?.evidence ?? '', /metrics API \(metrics\.k8s\.io\) is not served/);
  });

  it('status asks the API server only for the pods and the members; check also reads logs, events and nodes (audit log)', async () => {
    const costly = (requests: string[]): string[] => requests.filter((r) => /\/pods\/[^/]+\/log$|\/events$|\/nodes\/|metrics\.k8s\.io/.test(r));
    let mark = cluster.mark();
    const status = await viaKube('status', '-o', 'json');
    assert.equal(status.code, 0, status.stderr);
    const byStatus = await cluster.requestsSince(mark);
    assert.ok(byStatus.some((r) => /^(get|create) \/api\/v1\/namespaces\/kube-system\/pods\/etcd-cp-\d\/exec$/.test(r)), `status read the members through exec: ${byStatus.join(', ')}`);
    assert.ok(byStatus.some((r) => r === 'list /api/v1/namespaces/kube-system/pods'), 'and listed the pods');
    assert.deepEqual(costly(byStatus), [], 'no pod log, event, node or pod metrics request');
    mark = cluster.mark();
    const check = await viaKube('check', '--window', '0', '-o', 'json');
    assert.equal((JSON.parse(check.stdout) as CheckReport).members.length, 3, check.stderr);
    const byCheck = costly(await cluster.requestsSince(mark));
    assert.equal(byCheck.filter((r) => /\/log$/.test(r)).length, 3, `check read each etcd pod's log: ${byCheck.join(', ')}`);
    assert.ok(byCheck.some((r) => /\/events$/.test(r)) && byCheck.some((r) => /\/nodes\//.test(r)), `and the events and nodes: ${byCheck.join(', ')}`);
  });

  it('logs without files reads every etcd pod\'s own log through the API server', async () => {
    const result = await viaKube('logs', '--since', '1h', '-o', 'json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { sources: Array<{ name: string; lines: number; format: string }> };
    assert.deepEqual(report.sources.map((s) => s.name).sort(), cluster.info.nodes.map((n) => `pod kube-system/${n.pod}`).sort());
    assert.ok(report.sources.every((s) => s.lines > 10 && s.format !== 'empty'), JSON.stringify(report.sources));
  });

  it('the release\'s kubectl plugin list finds kubectl-etcd_perf on PATH, and kubectl etcd-perf runs it', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'etcd-perf-bin-'));
    symlinkSync(CLI, join(bin, 'kubectl-etcd_perf'));
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: cluster.kubeconfig };
    const { stdout } = await run(cluster.kubectl, ['plugin', 'list'], { env });
    assert.match(stdout, new RegExp(`${join(bin, 'kubectl-etcd_perf')}`));
    const status = await run(cluster.kubectl, ['etcd-perf', 'status', '-o', 'json'], { env });
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
      // Within 1 MiB: the lock's release and the API server's writes after the defragmentation grow the file a little.
      const member = after.members.find((m) => m.name === step.name);
      assert.ok(Math.abs((member?.dbSize ?? 0) - (step.sizeAfter ?? 0)) < MiB, `${step.name}: direct status sees ${member?.dbSize}, maintain reported ${step.sizeAfter}`);
      assert.ok((member?.dbSize ?? Infinity) < step.sizeBefore - 10 * MiB, `${step.name}: smaller than before`);
    }
  });

  it('defrag --member and compact through the pods', async () => {
    const defrag = await viaKube('defrag', '--member', 'cp-2', '--all', '--yes', '-o', 'json');
    assert.equal(defrag.code, 0, defrag.stderr);
    const steps = (JSON.parse(defrag.stdout) as MaintainResult).defrag?.steps ?? [];
    assert.deepEqual(steps.map((s) => [s.name, s.status, s.healthyAfter]), [['cp-2', 'done', true]]);
    const compact = await viaKube('compact', '--keep-revisions', '10', '-o', 'json');
    assert.equal(compact.code, 0, compact.stderr);
    const compacted = JSON.parse(compact.stdout) as { revision: number; currentRevision: number; members: Array<{ finished: boolean }> };
    assert.equal(compacted.revision, compacted.currentRevision - 10);
    assert.deepEqual(compacted.members.map((m) => m.finished), [true, true, true], 'every member finished compacting');
  });

  it('snapshot: refused as a local file with the reason, saved on the node with --on-node and read back there', async () => {
    const local = await viaKube('snapshot', 'save', join(tmpdir(), 'etcd-perf-k8s.db'));
    assert.equal(local.code, 2);
    assert.match(local.stderr, /^error: a snapshot cannot be copied out through Kubernetes: .* snapshot save --on-node \/var\/lib\/etcd\/snapshot\.db/);
    const saved = await viaKube('snapshot', 'save', '--on-node', '/var/lib/etcd/backup.db', '-o', 'json');
    assert.equal(saved.code, 0, saved.stderr);
    const result = JSON.parse(saved.stdout) as { node: string; member: string; nodePath: string; revision: number; keys: number; hash: string; bytes: number };
    const node = cluster.info.nodes.find((n) => n.name === result.node);
    assert.ok(node, `saved on a node of the cluster (${result.node})`);
    // The file is on that node's disk (its /var/lib/etcd is the host's NODE_DIR/var-lib-etcd), and this machine's etcdctl reads it.
    const onDisk = snapshotStatus(join(node.dir, 'var-lib-etcd', result.nodePath.slice('/var/lib/etcd/'.length)));
    assert.deepEqual([onDisk.hash.toString(16).padStart(8, '0'), onDisk.revision, onDisk.totalKey, onDisk.totalSize], [result.hash, result.revision, result.keys, result.bytes]);
    assert.ok(result.keys >= 75, `the churn's keys and the API server's objects are in it (${result.keys})`);
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
      [['status', '--kubeconfig', cluster.kubeconfig, '--context', 'prod'], new RegExp(`^error: --context: no context "prod" in .* \\(contexts: ${ADMIN}, ${VIEWER}\\)\\n$`)],
      [['status', '--kubeconfig', cluster.kubeconfig, '-n', 'etcd'], /^error: no etcd pods found with selector component=etcd in namespace etcd .*try -n\/--namespace and --selector\n$/],
      [['status', '--kubeconfig', cluster.kubeconfig, '--selector', 'app=etcd'], /^error: no etcd pods found with selector app=etcd in namespace kube-system/],
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

  it('kubeconfig precedence: --kubeconfig over KUBECONFIG over ~/.kube/config, and --context over the current one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'etcd-perf-home-'));
    execFileSync('mkdir', ['-p', join(home, '.kube')]);
    // ~/.kube/config: the cluster, current context the viewer (who may not exec).
    const viewerCurrent = parse(readFileSync(cluster.kubeconfig, 'utf8')) as Record<string, unknown>;
    writeFileSync(join(home, '.kube', 'config'), stringify({ ...viewerCurrent, 'current-context': VIEWER }));
    const fromHome = await runCli(['status', '-o', 'json'], { HOME: home, KUBECONFIG: '' });
    assert.equal(fromHome.code, 2);
    assert.match(fromHome.stderr, /may not get and create "pods\/exec"/, 'the home kubeconfig was used, as the viewer');
    const fromEnv = await runCli(['status', '-o', 'json'], { HOME: home, KUBECONFIG: cluster.kubeconfig });
    assert.equal(fromEnv.code, 0, `KUBECONFIG wins over the home file: ${fromEnv.stderr}`);
    const fromFlag = await runCli(['status', '-o', 'json', '--kubeconfig', join(home, '.kube', 'config')], { HOME: home, KUBECONFIG: cluster.kubeconfig });
    assert.equal(fromFlag.code, 2, '--kubeconfig wins over KUBECONFIG');
    const withContext = await runCli(['status', '-o', 'json', '--context', ADMIN], { HOME: home, KUBECONFIG: '' });
    assert.equal(withContext.code, 0, `--context picks the admin in the home file: ${withContext.stderr}`);
  });

  it('forbidden by RBAC: says which verb on which resource, in one line', async () => {
    const result = await runCli(['check', '--window', '0', '--kubeconfig', cluster.kubeconfig, '--context', VIEWER]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, 'error: forbidden: the kubeconfig\'s user may not get and create "pods/exec" in namespace kube-system (RBAC)\n');
  });

  it('untrusted certificates: a client certificate of another CA, an API server the kubeconfig\'s CA did not sign', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-certs-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=kubernetes-admin/O=kubeadm:cluster-admins',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const config = parse(readFileSync(cluster.kubeconfig, 'utf8')) as { users: Array<{ name: string; user: Record<string, string> }>; clusters: Array<{ cluster: Record<string, string> }> };
    const pem = (file: string) => readFileSync(join(dir, file)).toString('base64');
    const stranger = { ...config, users: config.users.map((u) => ({ name: u.name, user: { 'client-certificate-data': pem('cert.pem'), 'client-key-data': pem('key.pem') } })) };
    writeFileSync(join(dir, 'stranger.conf'), stringify(stranger));
    const refused = await runCli(['status', '--kubeconfig', join(dir, 'stranger.conf')]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /^error: .*unauthorized \(HTTP 401\): the kubeconfig's credentials were refused\n$/);
    const otherCa = { ...config, clusters: config.clusters.map((c) => ({ ...c, cluster: { ...c.cluster, 'certificate-authority-data': pem('cert.pem') } })) };
    writeFileSync(join(dir, 'other-ca.conf'), stringify(otherCa));
    const untrusted = await runCli(['status', '--kubeconfig', join(dir, 'other-ca.conf')]);
    // Exit 3, as for an API server that cannot be reached: no member could be read.
    assert.equal(untrusted.code, 3, untrusted.stderr);
    assert.match(untrusted.stderr, /^error: listing pods in kube-system \(context kubernetes-admin@etcd-perf, https:\/\/[\d.]+:6443\): the API server's certificate is not trusted by the kubeconfig's certificate-authority \(unable to verify the first certificate\)\n/);
    assert.equal(untrusted.stderr.trim().split('\n').length, 1, `one line: ${untrusted.stderr}`);
  });

  it('a key gone from one node: that member\'s etcdctl error, the others read', async () => {
    const [, second] = cluster.info.nodes;
    assert.ok(second);
    // etcd reads its certificate and key at every TLS handshake: the running member refuses new clients meanwhile.
    const key = join(second.dir, 'etc-kubernetes', 'pki', 'etcd', 'server.key');
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
  });

  it('an etcd container killed mid-check: the kubelet restarts it and the check reports the restart', async () => {
    const third = cluster.info.nodes[2];
    assert.ok(third);
    const pid = cluster.etcdPid(third);
    // The pods are read again as the window ends: by then the kubelet has restarted the container and said so (~6 s here).
    const checking = viaKube('check', '--window', '12s', '-o', 'json');
    await sleep(1500);
    process.kill(pid, 'SIGKILL');
    const result = await checking;
    const report = JSON.parse(result.stdout) as CheckReport;
    const pod = report.kubernetes?.pods.find((p) => p.member === 'cp-3');
    assert.ok(pod, JSON.stringify(report.kubernetes?.pods));
    const restart = report.findings.find((f) => f.id === 'pod-restarts' && f.member === 'cp-3');
    assert.ok(restart, `the restart reported: ${JSON.stringify(report.findings.map((f) => [f.id, f.member]))}; pod ${JSON.stringify(pod)}`);
    assert.ok(pod.restarts >= 1);
    await cluster.etcdPodsReady();
    const deadline = Date.now() + 60_000;
    let again: number | undefined;
    while (!again && Date.now() < deadline) {
      try { again = cluster.etcdPid(third); } catch { await sleep(1000); }
    }
    assert.ok(again && again !== pid, 'a new etcd process');
  });

  it('a manifest edited on one node: the kubelet recreates that pod, and the config audit finds what differs', async () => {
    const second = cluster.info.nodes[1];
    assert.ok(second);
    const manifest = parse(readFileSync(second.manifest, 'utf8')) as { spec: { containers: Array<{ command: string[] }> } };
    const added = ['--heartbeat-interval=150', '--quota-backend-bytes=17179869184', '--auto-compaction-retention=8'];
    manifest.spec.containers[0]?.command.push(...added);
    const podHas = async (flag: string) => {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const { stdout } = await run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, 'get', 'pod', '-n', 'kube-system', second.pod, '-o', 'json']).catch(() => ({ stdout: '{}' }));
        const pod = JSON.parse(stdout) as { spec?: { containers: Array<{ command: string[] }> }; status?: { containerStatuses?: Array<{ ready: boolean }> } };
        if (pod.spec?.containers[0]?.command.includes(flag) && pod.status?.containerStatuses?.[0]?.ready) return;
        if (Date.now() > deadline) throw new Error(`${second.pod}: ${flag} not in the running pod after 180 s`);
        await sleep(1000);
      }
    };
    // Left in place for the tests after this one (they do not mind): undoing it costs as long again. kubeadm's API
    // server reads only its own node's etcd, so the kubelet's mirror pod update waits for the member to serve again
    // (measured here: 80 s from the edit to the new pod ready and shown).
    writeFileSync(second.manifest, stringify(manifest));
    await podHas(added[0] as string);
    await cluster.etcdPodsReady();
    const result = await viaKube('check', '--window', '1s', '-o', 'json');
    const report = JSON.parse(result.stdout) as CheckReport;
    const find = (id: string) => report.findings.filter((f) => f.id === id);
    assert.equal(find('config-timing-mismatch')[0]?.title, '--heartbeat-interval differs between members: 100 vs 150 ms');
    const quota = find('config-quota-large');
    assert.equal(quota.length, 1, JSON.stringify(report.findings.map((f) => [f.id, f.member])));
    assert.match(quota[0]?.recommendation ?? '', /--quota-backend-bytes=8589934592$/);
    assert.equal(find('config-auto-compaction-redundant').length, 1);
    assert.equal(find('config-data-dir-volume')[0]?.severity, 'info');
  });

  it('the leader frozen past the election timeout: the followers\' logs say so, event by event', async () => {
    const status = JSON.parse((await viaKube('status', '-o', 'json')).stdout) as CheckReport;
    const leader = cluster.info.nodes.find((n) => n.name === status.members.find((m) => m.isLeader)?.name);
    assert.ok(leader, 'a leader');
    const pid = cluster.etcdPid(leader);
    // etcd randomises each follower's timeout in [1, 2) x --election-timeout (kubeadm: 1 s): 3 s is past every one.
    const frozenAt = Date.now();
    process.kill(pid, 'SIGSTOP');
    await sleep(3000);
    process.kill(pid, 'SIGCONT');
    await sleep(1500);
    const result = await viaKube('check', '--window', '1s', '-o', 'json');
    const report = JSON.parse(result.stdout) as CheckReport;
    // A follower logs "lost leader" when it is left without one, or "changed leader from A to B" when the new leader
    // came before it noticed (raft logs the change between two of its steps): each follower logs one or the other.
    for (const follower of cluster.info.nodes.filter((n) => n !== leader)) {
      const pod = report.kubernetes?.pods.find((p) => p.member === follower.name);
      const since = [pod?.log?.['leader-lost']?.last, pod?.log?.['leader-elected']?.last].filter((t): t is string => Boolean(t)).map((t) => Date.parse(t));
      assert.ok(since.some((t) => t >= frozenAt - 1000), `${follower.name} logged the leader change: ${JSON.stringify(pod)}`);
    }
    assert.ok(report.findings.some((f) => f.id === 'log-leader-lost'), 'a lost leader is a finding');
    assert.deepEqual(report.logs?.sources.map((source) => source.name).sort(), cluster.info.nodes.map((n) => `pod kube-system/${n.pod}`).sort());
    const perPod = (report.kubernetes?.pods ?? []).reduce((n, p) => n + (p.log?.['leader-lost']?.count ?? 0), 0);
    assert.equal(report.logs?.timeline.reduce((n, minute) => n + (minute['leader-lost'] ?? 0), 0), perPod);
    assert.ok(perPod >= 1, `${perPod} lost leaders logged`);
    const text = await viaKube('check', '--window', '0');
    assert.match(text.stdout, new RegExp(`through Kubernetes: context ${ADMIN}, 3 etcd pods in kube-system \\(CPU and memory unknown: no metrics API\\)`));
  });
});
