// `install -o yaml|json` as the built CLI prints it: the objects, the least RBAC, pods that read the node's etcd
// certificates read-only with nothing else allowed, the exporter and CronJob running what the options say, the
// PrometheusRule holding the fleet rules promtool accepts; each bad option one line. (The API server's own checks,
// and the objects running, are in test/kubeadm/install.test.ts.)

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { runCli } from '../harness/cli.ts';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };
type Container = { image: string; args: string[]; securityContext: Record<string, unknown>; volumeMounts: Array<{ readOnly: boolean; mountPath: string }> };
type PodSpec = { hostNetwork: boolean; serviceAccountName: string; automountServiceAccountToken?: boolean; tolerations: unknown[]; containers: Container[]; volumes: Array<{ hostPath: { path: string } }> };

async function objects(...args: string[]): Promise<Obj[]> {
  const result = await runCli(['install', ...args]);
  assert.equal(result.code, 0, result.stderr);
  return parseAllDocuments(result.stdout).map((d) => d.toJS() as Obj).filter(Boolean);
}

test('install -o yaml: every object, least RBAC, pods that read the node\'s certificates and nothing else', async () => {
  const all = await objects('--image', 'registry.example.com/etcd-perf:1.2.3', '--namespace', 'observability', '--schedule', '5 4 * * 0',
    '--fragmentation-threshold', '30', '--min-freeable', '200MiB', '--interval', '2m', '--window', '20s', '--cluster', 'prod-eu', '--cert-dir', '/srv/pki/etcd');
  assert.deepEqual(all.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`), [
    'Namespace /observability', 'ServiceAccount observability/etcd-perf-maintenance', 'Role kube-system/observability-maintenance',
    'RoleBinding kube-system/observability-maintenance', 'ServiceAccount observability/etcd-perf-exporter', 'Deployment observability/etcd-perf-exporter',
    'Service observability/etcd-perf-exporter', 'ServiceMonitor observability/etcd-perf', 'PrometheusRule observability/etcd-perf', 'CronJob observability/etcd-perf-maintenance',
  ]);
  const find = (kind: string) => all.find((o) => o.kind === kind) as Obj;
  // RBAC: the exporter gets none (not even a token); the maintenance lists pods and creates events in kube-system.
  assert.deepEqual((find('Role') as unknown as { rules: unknown[] }).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }, { apiGroups: [''], resources: ['events'], verbs: ['create'] }]);
  assert.equal(all.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding').length, 0);
  assert.equal((all.find((o) => o.metadata.name === 'etcd-perf-exporter' && o.kind === 'ServiceAccount') as unknown as { automountServiceAccountToken: boolean }).automountServiceAccountToken, false);

  const exporter = (find('Deployment') as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
  const job = (find('CronJob') as unknown as { spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: PodSpec } } } } });
  const maintenance = job.spec.jobTemplate.spec.template.spec;
  for (const pod of [exporter, maintenance]) {
    const [container] = pod.containers;
    assert.ok(container);
    assert.equal(pod.hostNetwork, true);
    assert.equal(container.image, 'registry.example.com/etcd-perf:1.2.3');
    assert.deepEqual(container.securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    assert.deepEqual(container.volumeMounts, [{ name: 'etcd-certs', mountPath: '/etc/etcd-perf/pki', readOnly: true }]);
    assert.deepEqual(pod.volumes.map((v) => v.hostPath.path), ['/srv/pki/etcd']);
    assert.deepEqual(pod.tolerations, [
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    assert.deepEqual(container.args.slice(container.args.indexOf('--endpoints')), ['--endpoints', 'https://127.0.0.1:2379', '--cacert', '/etc/etcd-perf/pki/ca.crt',
      '--cert', '/etc/etcd-perf/pki/healthcheck-client.crt', '--key', '/etc/etcd-perf/pki/healthcheck-client.key']);
  }
  assert.equal(exporter.automountServiceAccountToken, false);
  assert.deepEqual(exporter.containers[0]?.args.slice(0, 7), ['serve', '--listen', ':9379', '--interval', '120s', '--window', '20s']);
  assert.equal(job.spec.schedule, '5 4 * * 0');
  assert.equal(job.spec.concurrencyPolicy, 'Forbid');
  assert.equal(maintenance.serviceAccountName, 'etcd-perf-maintenance');
  assert.deepEqual(maintenance.containers[0]?.args.slice(0, 9), ['defrag', '--yes', '--events', '--audit-log', '-', '--fragmentation-threshold', '30', '--min-freeable', '200MiB']);
  // The fleet: the ServiceMonitor labels every series with the cluster; the rules are alerts --on exporter's for this Service.
  const monitor = find('ServiceMonitor') as unknown as { spec: { endpoints: Array<{ interval: string; relabelings: unknown[] }> } };
  assert.deepEqual(monitor.spec.endpoints[0]?.relabelings, [{ targetLabel: 'cluster', replacement: 'prod-eu', action: 'replace' }]);
  assert.equal(monitor.spec.endpoints[0]?.interval, '120s');
  const rule = find('PrometheusRule') as unknown as { spec: { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> } };
  const fleet = await runCli(['alerts', '--on', 'exporter', '--format', 'rules', '--selector', 'namespace="observability", service="etcd-perf-exporter"']);
  assert.deepEqual(rule.spec.groups[0]?.rules, (parseAllDocuments(fleet.stdout)[0]?.toJS() as { groups: Array<{ rules: unknown[] }> }).groups[0]?.rules);
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-install-'));
  writeFileSync(join(dir, 'rules.yaml'), stringify(rule.spec));
  const checked = await promisify(execFile)('promtool', ['check', 'rules', join(dir, 'rules.yaml')], { encoding: 'utf8' });
  assert.match(checked.stdout, /SUCCESS: 7 rules found/);
});

test('install --access api: the exporter reads etcd through the API server with its ServiceAccount: an ordinary non-root pod, the RBAC check needs', async () => {
  const all = await objects('--access', 'api');
  const rules = (name: string) => (all.find((o) => o.metadata.name === name && /Role$/.test(o.kind)) as unknown as { rules: unknown[] }).rules;
  assert.deepEqual(rules('etcd-perf-exporter'), [
    { apiGroups: [''], resources: ['pods'], verbs: ['list'] }, { apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['get', 'create'] },
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, { apiGroups: [''], resources: ['events'], verbs: ['list'] },
    { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
  ]);
  assert.deepEqual(rules('etcd-perf-exporter-nodes'), [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
  assert.equal(all.find((o) => o.kind === 'Role' && o.metadata.name === 'etcd-perf-exporter')?.metadata.namespace, 'kube-system');
  const pod = (all.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: PodSpec & { securityContext: Record<string, unknown> } } } }).spec.template.spec;
  assert.equal(pod.hostNetwork, undefined);
  assert.equal(pod.volumes, undefined, 'no certificates');
  assert.deepEqual(pod.containers[0]?.args, ['serve', '--listen', ':9379', '--interval', '60s', '--window', '10s']);
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(pod.serviceAccountName, 'etcd-perf-exporter');
  assert.equal((all.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'etcd-perf-exporter') as unknown as { automountServiceAccountToken: boolean }).automountServiceAccountToken, true);
});

test('install -o json: one List of the same objects; the defaults name the image npm run image builds', async () => {
  const json = await runCli(['install', '-o', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const list = JSON.parse(json.stdout) as { kind: string; items: Obj[] };
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.items.map((o) => o.kind), (await objects()).map((o) => o.kind));
  const deployment = list.items.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } };
  assert.equal(deployment.spec.template.spec.containers[0]?.image, 'localhost/etcd-perf:0.1.0');
  assert.equal(list.items.find((o) => o.kind === 'Namespace')?.metadata.name, 'etcd-perf');
});

test('install: each bad option is one line and exit 2', async () => {
  for (const [args, message] of [
    [['--schedule', 'daily'], /^error: --schedule: expected a cron schedule of five fields/],
    [['--namespace', 'Etcd_Perf'], /^error: -n\/--namespace: "Etcd_Perf" is not a namespace name/],
    [['--image', 'not an image'], /^error: --image: "not an image" is not an image reference/],
    [['--interval', '10s', '--window', '30s'], /^error: --window: the window \(30s\) must be shorter than the interval \(10s\)/],
    [['--fragmentation-threshold', '140'], /^error: --fragmentation-threshold: expected a percentage from 0 to 100/],
    [['--port', '70000'], /^error: --port: expected a port from 1 to 65535/],
    [['--cert-dir', 'pki'], /^error: --cert-dir: expected an absolute path/],
    [['--dry-run'], /^error: --dry-run goes with --apply/],
    [['-o', 'toml'], /^error: -o\/--output: unknown format "toml"/],
    [['--access', 'ssh'], /^error: --access: unknown access "ssh" \(choose node-certs or api\)/],
  ] as const) {
    const result = await runCli(['install', ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
  }
});
