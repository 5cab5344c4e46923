// `keyspace` on a keyspace the real API server wrote (test/kubeadm): thousands of configmaps and secrets of known sizes,
// events, a CRD and its objects, created through kubectl. By resource, keyspace counts exactly what `kubectl get -A`
// lists, and its bytes are exactly what etcdctl reads at the same revision; directly with kubeadm's certificates, and
// through the release's `kubectl port-forward` to a pod's client port (keyspace reads over gRPC: what its error says to
// do through Kubernetes). The API server gives every event a lease, so no event is "without a lease".

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KeyspaceReport } from '../../shared/collect/keyspace.ts';
import { runCli } from '../harness/cli.ts';
import { KubeadmSandbox } from '../harness/kubeadm.ts';

const run = promisify(execFile);
const NAMESPACES = ['ks-a', 'ks-b', 'ks-c'];
const CONFIGMAPS = 1500;
const SECRETS = 1000;
const WIDGETS = 200;
const EVENTS = 60;

/** The objects, in one YAML stream per kind: configmaps and secrets of sizes 100 B to 4 KiB, spread over the namespaces. */
function objects(): Record<string, string> {
  const ns = (i: number) => NAMESPACES[i % NAMESPACES.length] as string;
  const size = (i: number) => 100 + ((i * 97) % 4000);
  const docs = (list: object[]) => list.map((d) => stringify(d)).join('---\n');
  return {
    namespaces: docs(NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }))),
    crd: stringify({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.etcd-perf.test' },
      spec: {
        group: 'etcd-perf.test', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    }),
    configmaps: docs(Array.from({ length: CONFIGMAPS }, (_, i) => ({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns(i) }, data: { value: 'c'.repeat(size(i)) },
    }))),
    secrets: docs(Array.from({ length: SECRETS }, (_, i) => ({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}`, namespace: ns(i) }, stringData: { value: 's'.repeat(size(i)) },
    }))),
    events: docs(Array.from({ length: EVENTS }, (_, i) => ({
      apiVersion: 'v1', kind: 'Event', metadata: { name: `etcd-perf-test.${i}`, namespace: ns(i) },
      involvedObject: { kind: 'ConfigMap', name: `cm-${i}`, namespace: ns(i), apiVersion: 'v1' },
      reason: 'Tested', message: `event ${i} of the keyspace test`, type: 'Normal', source: { component: 'etcd-perf-test' },
    }))),
    widgets: docs(Array.from({ length: WIDGETS }, (_, i) => ({
      apiVersion: 'etcd-perf.test/v1', kind: 'Widget', metadata: { name: `widget-${i}`, namespace: ns(i) }, spec: { size: size(i), fill: 'w'.repeat(size(i)) },
    }))),
  };
}

describe('keyspace on a keyspace written by a real API server', () => {
  let cluster: KubeadmSandbox;
  const kubectl = (...args: string[]) => run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  /** How many objects `kubectl get -A` lists of a resource. */
  const listed = async (resource: string) => (await kubectl('get', resource, '-A', '-o', 'name')).stdout.split('\n').filter(Boolean).length;
  /** Keys and bytes (key + value) etcdctl reads under a prefix at a revision: the truth keyspace must equal. */
  const etcdctl = (prefix: string, revision: number) => {
    const [first] = cluster.info.nodes;
    assert.ok(first);
    const out = execFileSync('etcdctl', ['--endpoints', first.clientUrl, '--cacert', first.pki.ca, '--cert', first.pki.cert, '--key', first.pki.key,
      'get', '--prefix', prefix, `--rev=${revision}`, '-w', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ETCDCTL_API: '3' } });
    const kvs = (JSON.parse(out) as { kvs?: Array<{ key: string; value: string }> }).kvs ?? [];
    return { keys: kvs.length, bytes: kvs.reduce((sum, kv) => sum + Buffer.from(kv.key, 'base64').length + Buffer.from(kv.value, 'base64').length, 0) };
  };

  before(async () => {
    cluster = await KubeadmSandbox.start();
    await cluster.etcdPodsReady();
    const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-objects-'));
    const files = objects();
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.yaml`), text);
    await kubectl('apply', '-f', join(dir, 'namespaces.yaml'), '-f', join(dir, 'crd.yaml'));
    await kubectl('wait', '--for', 'condition=established', '--timeout', '60s', 'crd/widgets.etcd-perf.test');
    // kubectl create sends one request per object; four at once.
    await Promise.all(['configmaps', 'secrets', 'events', 'widgets'].map((name) => kubectl('create', '-f', join(dir, `${name}.yaml`))));
  });
  after(async () => {
    if (cluster) await kubectl('delete', 'namespace', ...NAMESPACES, '--wait=false').catch(() => undefined);
    if (cluster) await kubectl('delete', 'crd', 'widgets.etcd-perf.test', '--wait=false').catch(() => undefined);
    await cluster?.stop();
  });

  it('by resource: exactly what kubectl get -A lists, with etcdctl\'s bytes at the same revision, directly and through the API server', async () => {
    // Resources whose objects only the test and the control plane's bootstrap write: nothing changes them meanwhile.
    const resources: Array<[string, string]> = [
      ['configmaps', '/registry/configmaps/'], ['secrets', '/registry/secrets/'], ['widgets.etcd-perf.test', '/registry/etcd-perf.test/widgets/'],
      ['namespaces', '/registry/namespaces/'], ['customresourcedefinitions', '/registry/apiextensions.k8s.io/customresourcedefinitions/'],
      ['clusterroles', '/registry/clusterroles/'], ['clusterrolebindings', '/registry/clusterrolebindings/'], ['serviceaccounts', '/registry/serviceaccounts/'],
      ['pods', '/registry/pods/'],
    ];
    const counts = new Map<string, number>();
    for (const [resource] of resources) counts.set(resource, await listed(resource));
    assert.ok((counts.get('configmaps') ?? 0) >= CONFIGMAPS && (counts.get('secrets') ?? 0) >= SECRETS, JSON.stringify([...counts]));
    assert.equal(counts.get('widgets.etcd-perf.test'), WIDGETS);
    const [first] = cluster.info.nodes;
    assert.ok(first);
    const refused = await runCli(['keyspace', '--kubeconfig', cluster.kubeconfig]);
    assert.equal(refused.stderr, 'error: keyspace reads the members over gRPC: give --endpoints (through Kubernetes, e.g. with kubectl port-forward)\n');
    // kubeadm's etcd serving certificate names 127.0.0.1: the forwarded port verifies as the member itself.
    const { port, stop } = await cluster.portForward(first.pod, 2379);
    after(stop);
    const forwarded = ['--endpoints', `https://127.0.0.1:${port}`, '--cacert', first.pki.ca, '--cert', first.pki.cert, '--key', first.pki.key];
    for (const transport of [cluster.directFlags(), forwarded]) {
      const result = await runCli(['keyspace', '--prefix', '/registry/', '-o', 'json', ...transport]);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as KeyspaceReport;
      const byPrefix = new Map(report.prefixes.map((p) => [p.prefix, p]));
      for (const [resource, prefix] of resources) {
        assert.equal(byPrefix.get(prefix)?.keys, counts.get(resource), `${transport[1]}: ${prefix} against kubectl get ${resource} -A`);
        const truth = etcdctl(prefix, report.revision);
        assert.deepEqual([byPrefix.get(prefix)?.keys, byPrefix.get(prefix)?.bytes], [truth.keys, truth.bytes], `${transport[1]}: ${prefix} against etcdctl at revision ${report.revision}`);
      }
      // Every key under /registry/ in exactly one resource.
      assert.equal(report.prefixes.reduce((sum, p) => sum + p.keys, 0), report.totalKeys);
      assert.equal(report.totalKeys, etcdctl('/registry/', report.revision).keys);
      // The API server's events carry a lease (--event-ttl): none without one.
      const events = byPrefix.get('/registry/events/');
      assert.ok((events?.keys ?? 0) >= EVENTS, `${events?.keys} events`);
      assert.equal(events?.withoutLease, 0);
    }
  });

  it('check --deep on this keyspace: no "events without a lease", the keyspace\'s totals in the report', async () => {
    const result = await runCli(['check', '--deep', '--window', '0', '-o', 'json', ...cluster.directFlags()]);
    const report = JSON.parse(result.stdout) as { keyspace: KeyspaceReport; findings: Array<{ id: string }> };
    assert.ok(report.keyspace.totalKeys > CONFIGMAPS + SECRETS + WIDGETS, `${report.keyspace.totalKeys} keys`);
    assert.deepEqual(report.findings.filter((f) => f.id === 'keyspace-events-without-lease'), []);
  });
});
