// `keyspace` on a real 3-member etcd with known keys: exact keys and bytes per Kubernetes resource (the issue's
// cluster: 100 pods of 1,000 B, 500 events of 200 B, 10 secrets of 5,000 B, one 300 KB configmap), CRD grouping,
// namespaces, versions and leases; the same figures whatever the page size (pages ending inside a group); a 1.4 MiB
// value; totals equal to what etcdctl get --prefix -w json returns.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { KeyspaceReport } from '../../shared/collect/keyspace.ts';
import { LocalCluster } from '../../shared/demo/local-cluster.ts';
import { CLI, runCli } from '../harness/cli.ts';

let cluster: LocalCluster;
const written = new Map<string, number>();

async function put(key: string, bytes: number, lease?: string): Promise<void> {
  const client = cluster.client();
  try {
    const request = client.put(key).value(Buffer.alloc(bytes, 0x61));
    await (lease ? request.lease(lease) : request).exec();
  } finally {
    client.close();
  }
  written.set(key, bytes);
}

before(async () => {
  cluster = await LocalCluster.start({ size: 3 });
  const client = cluster.client();
  const jobs: Array<Promise<unknown>> = [];
  const add = (key: string, bytes: number): void => {
    jobs.push(client.put(key).value(Buffer.alloc(bytes, 0x62)).exec());
    written.set(key, bytes);
  };
  for (let i = 0; i < 100; i += 1) add(`/registry/pods/default/web-${String(i).padStart(3, '0')}`, 1000);
  for (let i = 0; i < 500; i += 1) add(`/registry/events/${i % 2 ? 'default' : 'kube-system'}/web.${String(i).padStart(4, '0')}`, 200);
  for (let i = 0; i < 10; i += 1) add(`/registry/secrets/kube-system/token-${i}`, 5000);
  add('/registry/configmaps/default/big-config', 300_000);
  for (let i = 0; i < 3; i += 1) add(`/registry/cert-manager.io/certificates/default/cert-${i}`, 700);
  add('/registry/nodes/node-1', 4000);
  await Promise.all(jobs);
  for (let v = 2; v <= 7; v += 1) await client.put('/registry/nodes/node-1').value(Buffer.alloc(4000, 0x63)).exec();
  const lease = client.lease(600, { autoKeepAlive: false });
  const leaseId = await lease.grant();
  await put('/registry/events/default/leased-event', 200, leaseId);
  client.close();
});

after(async () => { await cluster?.dispose(); });

const endpoints = (): string[] => ['--endpoints', cluster.endpoints.join(',')];
const expected = (prefix: string): { keys: number; bytes: number } => {
  let keys = 0;
  let bytes = 0;
  for (const [key, size] of written) {
    if (!key.startsWith(prefix)) continue;
    keys += 1;
    bytes += Buffer.byteLength(key) + size;
  }
  return { keys, bytes };
};

async function keyspace(...args: string[]): Promise<KeyspaceReport> {
  const result = await runCli(['keyspace', '-o', 'json', ...args, ...endpoints()]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as KeyspaceReport;
}

test('exact keys and bytes per resource, CRDs by group, the configmap named the largest key, versions and leases', async () => {
  const report = await keyspace('--prefix', '/registry/');
  const byPrefix = new Map(report.prefixes.map((p) => [p.prefix, p]));
  for (const prefix of ['/registry/pods/', '/registry/events/', '/registry/secrets/', '/registry/configmaps/', '/registry/cert-manager.io/certificates/', '/registry/nodes/']) {
    const want = expected(prefix);
    assert.deepEqual([byPrefix.get(prefix)?.keys, byPrefix.get(prefix)?.bytes], [want.keys, want.bytes], prefix);
  }
  assert.equal(byPrefix.get('/registry/pods/')?.keys, 100);
  assert.equal(byPrefix.get('/registry/events/')?.keys, 501);
  assert.equal(report.prefixes.length, 6);
  assert.deepEqual([report.totalKeys, report.totalBytes], [expected('/registry/').keys, expected('/registry/').bytes]);
  assert.deepEqual(report.largestKeys[0], { key: '/registry/configmaps/default/big-config', bytes: Buffer.byteLength('/registry/configmaps/default/big-config') + 300_000 });
  assert.equal(report.prefixes[0]?.prefix, '/registry/configmaps/', 'sorted by bytes');
  assert.deepEqual(report.mostRewritten[0], { key: '/registry/nodes/node-1', version: 7 });
  assert.deepEqual([byPrefix.get('/registry/nodes/')?.versionsMax, byPrefix.get('/registry/pods/')?.versionsSum], [7, 100]);
  assert.equal(byPrefix.get('/registry/events/')?.withoutLease, 500, 'one event has a lease');
  assert.equal(byPrefix.get('/registry/pods/')?.meanValueBytes, 1000);
  assert.ok(report.revision > 600);
  assert.equal(report.partial, false);
  assert.ok(report.largestKeys.length === 10 && report.largestKeys.every((k, i) => i === 0 || k.bytes <= (report.largestKeys[i - 1]?.bytes ?? 0)));
});

test('the same figures whatever the page size: pages that end inside a group', async () => {
  const whole = await keyspace('--prefix', '/registry/');
  // Keys come sorted: 3 certificates, 1 configmap, then 501 events; the first page of 7 ends inside the events, and the
  // pages that follow (growing to at most 70 keys) end inside events and pods.
  const paged = await keyspace('--prefix', '/registry/', '--page-size', '7');
  assert.equal(whole.pages, 1);
  assert.equal(whole.lookaheadPages, 0, 'one page: nothing to bound');
  assert.ok(paged.pages >= 9, `${paged.pages} pages`);
  // Hundreds of keys left after the first page of 7: the value pages are bounded by keys-only lookahead pages.
  assert.ok(paged.lookaheadPages >= 1, `${paged.lookaheadPages} lookahead pages`);
  assert.deepEqual(paged.prefixes, whole.prefixes);
  assert.deepEqual(paged.largestKeys, whole.largestKeys);
  assert.equal(paged.revision, whole.revision);
});

test('--by-namespace, --keys-only and --depth', async () => {
  const spaced = await keyspace('--prefix', '/registry/', '--by-namespace');
  const events = spaced.prefixes.filter((p) => p.prefix.startsWith('/registry/events/'));
  assert.deepEqual(events.map((p) => [p.prefix, p.keys]).sort(), [['/registry/events/default/', 251], ['/registry/events/kube-system/', 250]]);
  assert.ok(spaced.prefixes.some((p) => p.prefix === '/registry/nodes/'), 'cluster-scoped resources stay whole');
  assert.ok(spaced.prefixes.some((p) => p.prefix === '/registry/cert-manager.io/certificates/default/'));
  const keysOnly = await keyspace('--prefix', '/registry/', '--keys-only');
  assert.equal(keysOnly.totalKeys, expected('/registry/').keys);
  assert.equal(keysOnly.totalBytes, [...written.keys()].filter((k) => k.startsWith('/registry/')).reduce((sum, k) => sum + Buffer.byteLength(k), 0));
  const shallow = await keyspace('--prefix', '/registry/', '--depth', '1');
  assert.ok(shallow.prefixes.some((p) => p.prefix === '/registry/pods/'), '/registry/ groups by resource whatever the depth');
});

test('a 1.4 MiB value, keys outside /registry/ by --depth, and the totals etcdctl reports', async () => {
  await put('/other/app/huge', 1_400 * 1024);
  await put('/other/app/small', 10);
  await put('/other/top', 5);
  const report = await keyspace('--prefix', '/other/');
  assert.deepEqual(report.prefixes.map((p) => [p.prefix, p.keys]), [['/other/app/', 2], ['/other/top', 1]]);
  assert.deepEqual(report.largestKeys[0], { key: '/other/app/huge', bytes: '/other/app/huge'.length + 1_400 * 1024 });
  const all = await keyspace('--prefix', '/');
  const etcdctl = spawnSync('etcdctl', [`--endpoints=${cluster.endpoints.join(',')}`, 'get', '/', '--prefix', '-w', 'json'],
    { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, maxBuffer: 64 * 1024 * 1024 });
  const theirs = JSON.parse(etcdctl.stdout) as { kvs: Array<{ key: string; value?: string }> };
  const bytes = theirs.kvs.reduce((sum, kv) => sum + Buffer.from(kv.key, 'base64').length + Buffer.from(kv.value ?? '', 'base64').length, 0);
  assert.deepEqual([all.totalKeys, all.totalBytes], [theirs.kvs.length, bytes]);
});

test('--rate-limit paces the walk; Ctrl-C prints what was read so far, marked partial, and exits 130', async () => {
  const child = spawn(process.execPath, [CLI, 'keyspace', '--prefix', '/registry/', '--rate-limit', '100', '--page-size', '10', '-o', 'json', ...endpoints()], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  const report = JSON.parse(stdout) as KeyspaceReport;
  assert.equal(report.partial, true);
  assert.ok(report.totalKeys > 0 && report.totalKeys < 400, `${report.totalKeys} keys read at 100 keys/s before Ctrl-C`);
  assert.ok(report.resumeAfter?.startsWith('/registry/'));
  assert.equal(report.prefixes.reduce((sum, p) => sum + p.keys, 0), report.totalKeys);
});

test('check --deep: the walk after the window, its findings among the others', async () => {
  const result = await runCli(['check', '--deep', '--window', '0', '-o', 'json', ...endpoints()]);
  const report = JSON.parse(result.stdout) as { keyspace: KeyspaceReport; findings: Array<{ id: string; severity: string; title: string; value: unknown }> };
  assert.equal(report.keyspace.totalKeys, written.size);
  const ids = (id: string) => report.findings.filter((f) => f.id === id);
  assert.deepEqual(ids('keyspace-events-without-lease').map((f) => [f.severity, f.value]), [['warn', 500]]);
  assert.deepEqual(ids('keyspace-large-value').map((f) => f.title), ['/other/app/huge is 1.37 MiB, near etcd\'s request limit (1.5 MiB by default)']);
  assert.match(ids('keyspace-dominant-resource')[0]?.title ?? '', /^\/other\/app\/ holds 7\d% of the keyspace/);
  const text = await runCli(['check', '--deep', '--window', '0', ...endpoints()]);
  assert.match(text.stdout, /\nKeyspace: \d+ keys, [\d.]+ MiB; largest: \/other\/app\/ /);
});

test('bad flags give one line and exit 2', async () => {
  for (const [args, message] of [
    [['--depth', '0'], /^error: --depth: at least 1\n$/],
    [['--consistency', 'x'], /^error: --consistency: unknown value "x" \(choose l or s\)\n$/],
    [['--top', 'many'], /^error: --top: expected a whole number, got "many"\n$/],
  ] as const) {
    const result = await runCli(['keyspace', ...args, ...endpoints()]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
  }
});
