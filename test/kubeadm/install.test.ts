// `install` on the real kubeadm cluster (test/kubeadm), with the image `npm run image` builds imported into every
// node's containerd and the Prometheus Operator's CRDs: the API server accepts the objects (server-side dry run,
// then for real); each ServiceAccount may do exactly what it needs (`kubectl auth can-i --list`, against a bare
// ServiceAccount's); the exporter's pod runs from the image on a control-plane node and its /metrics say what a
// direct check says; the CronJob's run refuses while another maintenance holds the lock, then defragments every
// member, leader last, posts an Event on each etcd pod, and lands in the exporter's last-maintenance series.

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { CheckReport } from '../../shared/analyse/report.ts';
import { runCli } from '../harness/cli.ts';
import { assertMetricsMatchReport, valueOf } from '../harness/exporter.ts';
import { KubeadmSandbox } from '../harness/kubeadm.ts';
import { parsePrometheusText, type Sample } from '../../shared/collect/prometheus-text.ts';
import { KubeadmCluster } from './cluster.ts';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NS = 'etcd-perf';

/** History worth defragmenting: written, deleted and compacted away. */
async function fragment(cluster: KubeadmSandbox): Promise<void> {
  await cluster.writeHistory('/etcd-perf-test/install-');
  const client = cluster.etcdClient();
  try {
    await client.delete().prefix('/etcd-perf-test/install-');
    const { header } = await client.kv.range({ key: Buffer.from('/etcd-perf-test/'), limit: '1' });
    await client.kv.compact({ revision: header.revision, physical: true });
  } finally {
    client.close();
  }
}

describe('install on a real kubeadm cluster: the image, the exporter, the CronJob, least RBAC', () => {
  let cluster: KubeadmSandbox;
  const kubectl = async (...args: string[]): Promise<string> => (await run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })).stdout;
  const install = (...args: string[]) => runCli(['install', '--image', 'localhost/etcd-perf:0.1.0', '--kubeconfig', cluster.kubeconfig,
    '--interval', '5s', '--window', '2s', '--fragmentation-threshold', '10', '--min-freeable', '1MiB', '--cluster', 'kubeadm', ...args],
  { PATH: `${cluster.info.kubernetesBin}:${process.env.PATH ?? ''}` });
  let exporterUrl = '';

  before(async () => {
    cluster = await KubeadmSandbox.start();
    await cluster.etcdPodsReady();
    const built = execFileSync('bash', ['scripts/build-image.sh'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const archive = resolve(root, /^archive (.+)$/m.exec(built)?.[1] ?? '');
    for (const node of cluster.info.nodes) KubeadmCluster.inNode(node, ['ctr', '-n', 'k8s.io', 'images', 'import', archive]);
    const crds = execFileSync('bash', ['scripts/ensure-monitoring-crds.sh'], { cwd: root, encoding: 'utf8' }).trim();
    for (const file of readdirSync(crds).filter((f) => /_(servicemonitors|prometheusrules)\.yaml$/.test(f))) {
      await kubectl('apply', '--server-side', '-f', join(crds, file));
    }
    await kubectl('wait', '--for=condition=Established', 'crd/servicemonitors.monitoring.coreos.com', 'crd/prometheusrules.monitoring.coreos.com', '--timeout=60s');
  });
  after(async () => {
    await kubectl('delete', 'namespace', NS, 'etcd-perf-api', '--ignore-not-found', '--wait=false').catch(() => undefined);
    await cluster?.stop();
  });

  it('the API server accepts every object in a server-side dry run (in an existing namespace), and nothing is created', async () => {
    const missing = await install('--apply', '--dry-run');
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'error: --dry-run: the API server checks namespaced objects in their namespace, and etcd-perf does not exist yet: create it first (kubectl create namespace etcd-perf), or apply for real\n');
    await kubectl('create', 'namespace', NS);
    const dry = await install('--apply', '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    for (const object of ['namespace/etcd-perf', 'serviceaccount/etcd-perf-exporter', 'role.rbac.authorization.k8s.io/etcd-perf-maintenance',
      'deployment.apps/etcd-perf-exporter', 'service/etcd-perf-exporter', 'servicemonitor.monitoring.coreos.com/etcd-perf',
      'prometheusrule.monitoring.coreos.com/etcd-perf', 'cronjob.batch/etcd-perf-maintenance']) {
      assert.match(dry.stdout, new RegExp(`^${object.replace(/\./g, '\\.')} serverside-applied \\(server dry run\\)$`, 'm'), object);
    }
    assert.equal(await kubectl('get', 'all,serviceaccounts,servicemonitors,prometheusrules', '-n', NS, '-l', 'app.kubernetes.io/name=etcd-perf', '-o', 'name'), '', 'a dry run creates nothing');
  });

  it('applied, each ServiceAccount may do exactly what it needs: the exporter nothing, the maintenance list pods and create events in kube-system', async () => {
    const applied = await install('--apply');
    assert.equal(applied.code, 0, applied.stderr);
    await kubectl('create', 'serviceaccount', 'bare', '-n', NS);
    const can = async (account: string, namespace: string): Promise<Set<string>> => new Set((await kubectl('auth', 'can-i', '--list', `--as=system:serviceaccount:${NS}:${account}`, '-n', namespace))
      .split('\n').slice(1).filter(Boolean).map((l) => l.trim().replace(/\s+/g, ' ')));
    const beyond = async (account: string, namespace: string): Promise<string[]> => {
      const bare = await can('bare', namespace);
      return [...await can(account, namespace)].filter((rule) => !bare.has(rule)).sort();
    };
    assert.deepEqual(await beyond('etcd-perf-exporter', 'kube-system'), []);
    assert.deepEqual(await beyond('etcd-perf-exporter', NS), []);
    assert.deepEqual(await beyond('etcd-perf-maintenance', NS), []);
    assert.deepEqual(await beyond('etcd-perf-maintenance', 'kube-system'), ['events [] [] [create]', 'pods [] [] [list]']);
  });

  it('the exporter runs from the image on a control-plane node, and its /metrics say what a direct check -o json says', async () => {
    await kubectl('rollout', 'status', `deployment/etcd-perf-exporter`, '-n', NS, '--timeout=120s');
    const pod = JSON.parse(await kubectl('get', 'pods', '-n', NS, '-l', 'app.kubernetes.io/component=exporter', '-o', 'json')) as {
      items: Array<{ spec: { nodeName: string; containers: Array<{ image: string }> }; status: { hostIP: string; containerStatuses: Array<{ ready: boolean; imageID: string }> } }>;
    };
    const [exporter] = pod.items;
    assert.ok(exporter);
    assert.ok(cluster.info.nodes.some((n) => n.name === exporter.spec.nodeName), 'on a control-plane node');
    assert.equal(exporter.spec.containers[0]?.image, 'localhost/etcd-perf:0.1.0');
    assert.equal(exporter.status.containerStatuses[0]?.ready, true, '/readyz answered');
    exporterUrl = `http://${exporter.status.hostIP}:9379`;
    const metrics = async (): Promise<Sample[]> => parsePrometheusText(await (await fetch(`${exporterUrl}/metrics`)).text());
    const seen = valueOf(await metrics(), 'etcd_perf_collections_total') ?? 0;
    for (let i = 0; i < 60 && (valueOf(await metrics(), 'etcd_perf_collections_total') ?? 0) < seen + 2; i += 1) await sleep(500);
    const samples = await metrics();
    const checked = await runCli(['check', '--window', '2s', '-o', 'json', ...cluster.directFlags()]);
    const report = JSON.parse(checked.stdout) as CheckReport;
    assert.equal(report.members.length, cluster.info.nodes.length);
    // The API server writes (leases, events) between the exporter's read and the check's: sizes within 1 MiB.
    assertMetricsMatchReport(samples, report, 1024 * 1024);
  });

  it('the CronJob\'s run refuses while another maintenance holds the lock; then defragments every member, leader last, with an Event on each etcd pod, and the exporter shows it', async () => {
    await fragment(cluster);
    // Another maintenance (a person's, from here) holds the lock: it defragments one member, then rests 40 s.
    const holder = runCli(['defrag', '--yes', '--all', '--pause', '40s', ...cluster.directFlags()]);
    await sleep(3000);
    await kubectl('create', 'job', '--from=cronjob/etcd-perf-maintenance', 'refused', '-n', NS);
    await kubectl('wait', '--for=condition=Failed', 'job/refused', '-n', NS, '--timeout=120s');
    assert.match(await kubectl('logs', 'job/refused', '-n', NS), /error: another maintenance is running: etcd-perf run by .* kubectl etcd-perf defrag/);
    assert.equal((await holder).code, 0);

    await fragment(cluster);
    const jobCreated = Date.now() / 1000;
    await kubectl('create', 'job', '--from=cronjob/etcd-perf-maintenance', 'maintained', '-n', NS);
    await kubectl('wait', '--for=condition=Complete', 'job/maintained', '-n', NS, '--timeout=180s');
    const log = await kubectl('logs', 'job/maintained', '-n', NS);
    const audit = log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; result?: { defrag: { totalFreedBytes: number; steps: Array<{ name: string; status: string; wasLeader: boolean }> } } });
    const result = audit.find((e) => e.event === 'result')?.result;
    assert.ok(result, `the audit trail in the job's log: ${log}`);
    const done = result.defrag.steps.filter((s) => s.status === 'done');
    assert.equal(done.length, cluster.info.nodes.length, 'every member defragmented');
    assert.equal(done.at(-1)?.wasLeader, true, 'the leader last');
    // An Event on each etcd pod, from etcd-perf.
    const events = JSON.parse(await kubectl('get', 'events', '-n', 'kube-system', '--field-selector', 'reason=Defragmented', '-o', 'json')) as { items: Array<{ involvedObject: { name: string }; source: { component: string }; message: string }> };
    assert.deepEqual([...new Set(events.items.map((e) => e.involvedObject.name))].sort(), cluster.info.nodes.map((n) => n.pod).sort());
    assert.ok(events.items.every((e) => e.source.component === 'etcd-perf' && /freed/.test(e.message)));
    // The exporter reads the job's record from etcd (the person's run before it recorded one too).
    let samples: Sample[] = [];
    for (let i = 0; i < 60; i += 1) {
      samples = parsePrometheusText(await (await fetch(`${exporterUrl}/metrics`)).text());
      if ((valueOf(samples, 'etcd_perf_last_maintenance_timestamp_seconds') ?? 0) > jobCreated) break;
      await sleep(500);
    }
    assert.equal(valueOf(samples, 'etcd_perf_last_maintenance_success', { outcome: 'done' }), 1);
    assert.equal(valueOf(samples, 'etcd_perf_last_maintenance_freed_bytes'), result.defrag.totalFreedBytes);
  });

  it('--access api: its ServiceAccount may do what check through the API server does, and that is enough for a whole check', async () => {
    const applied = await install('--access', 'api', '--namespace', 'etcd-perf-api', '--apply');
    assert.equal(applied.code, 0, applied.stderr);
    await kubectl('create', 'serviceaccount', 'bare', '-n', 'etcd-perf-api');
    const as = (account: string) => `--as=system:serviceaccount:etcd-perf-api:${account}`;
    const can = async (account: string): Promise<Set<string>> => new Set((await kubectl('auth', 'can-i', '--list', as(account), '-n', 'kube-system'))
      .split('\n').slice(1).filter(Boolean).map((l) => l.trim().replace(/\s+/g, ' ')));
    const bare = await can('bare');
    assert.deepEqual([...await can('etcd-perf-exporter')].filter((r) => !bare.has(r)).sort(), [
      'events [] [] [list]', 'pods.metrics.k8s.io [] [] [list]', 'pods/exec [] [] [get create]', 'pods/log [] [] [get]', 'pods/portforward [] [] [get create]', 'pods [] [] [list]',
      'nodes [] [] [get]', // cluster-wide (its ClusterRole): --list shows it in every namespace
    ].sort());
    assert.equal((await kubectl('auth', 'can-i', 'get', 'nodes', as('etcd-perf-exporter'))).trim(), 'yes');
    assert.equal((await kubectl('auth', 'can-i', '--list', as('etcd-perf-exporter'), '-n', 'default')).includes('pods/exec'), false, 'exec in kube-system only');
    assert.equal((await kubectl('auth', 'can-i', 'list', 'secrets', as('etcd-perf-exporter'), '-n', 'kube-system').catch((e: { stdout: string }) => e.stdout)).trim(), 'no');
    // The exporter's pod needs a pod network, which this test cluster has not (no CNI): its check runs here instead,
    // as that ServiceAccount (a token of it in a kubeconfig), and reads everything a check through Kubernetes reads.
    const token = (await kubectl('create', 'token', 'etcd-perf-exporter', '-n', 'etcd-perf-api')).trim();
    const admin = JSON.parse(await kubectl('config', 'view', '--raw', '--minify', '-o', 'json')) as { clusters: Array<{ cluster: Record<string, string> }> };
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'etcd-perf-sa-')), 'kubeconfig');
    writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'sa',
      clusters: [{ name: 'c', cluster: admin.clusters[0]?.cluster }], users: [{ name: 'sa', user: { token } }], contexts: [{ name: 'sa', context: { cluster: 'c', user: 'sa' } }],
    }), { mode: 0o600 });
    const checked = await runCli(['check', '--window', '0', '-o', 'json', '--kubeconfig', kubeconfig]);
    assert.ok(checked.code === 0 || checked.code === 1, checked.stderr);
    assert.doesNotMatch(checked.stderr, /forbidden/i);
    const report = JSON.parse(checked.stdout) as CheckReport;
    assert.equal(report.members.filter((m) => m.role !== 'down').length, cluster.info.nodes.length, 'every member through exec');
    assert.ok(report.members.every((m) => m.metrics !== null), 'metrics through port-forward');
    assert.ok(report.kubernetes?.pods.every((p) => p.log !== null), 'the pods\' logs');
    assert.doesNotMatch(report.kubernetes?.usageError ?? '', /forbidden/i, 'pod metrics: not served here, but allowed');
    assert.ok(!report.findings.some((f) => /forbidden/i.test(`${f.title} ${f.evidence}`)), 'nothing refused');
  });
});
