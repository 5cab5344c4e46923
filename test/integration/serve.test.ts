// `serve`, the exporter, as a process against a real 3-member cluster: /metrics says what `check -o json` says
// (same findings, same sizes), promtool accepts it, /report and /readyz follow the collections, a member killed and
// restarted shows in the next collections (and in the errors by cause), `maintain` lands in the last-maintenance
// series, and SIGTERM stops it at once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckReport } from '../../shared/entry/index.ts';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { runCli } from '../harness/cli.ts';
import { assertMetricsMatchReport, ExporterProcess, valueOf } from '../harness/exporter.ts';

let cluster: LocalCluster;
let exporter: ExporterProcess;

before(async () => {
  cluster = await LocalCluster.start({ size: 3 });
  // ~160 MB of history compacted away: fragmentation worth a warning and a defragmentation.
  await writeChurn(cluster, { rounds: 14 });
  await cluster.waitSettled();
  exporter = await ExporterProcess.start(['--endpoints', cluster.endpoints.join(','), '--interval', '3s', '--window', '1s']);
});

after(async () => {
  await exporter?.stop();
  await cluster?.dispose();
});

test('serve: /metrics holds what check -o json says: the same findings, sizes, quota and verdict', async () => {
  await exporter.until('ready', async () => (await exporter.get('/readyz')).status === 200);
  const samples = await exporter.nextCollection();
  const checked = await runCli(['check', '--window', '1s', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]);
  const report = JSON.parse(checked.stdout) as CheckReport;
  assert.equal(report.members.length, 3);
  assertMetricsMatchReport(samples, report);
  assert.ok(report.findings.some((f) => f.id === 'fragmentation' && f.severity === 'warn'), 'the churn\'s fragmentation is among them');
  assert.equal(valueOf(samples, 'etcd_perf_window_seconds'), 1);
});

test('serve: promtool accepts /metrics as it is served', async () => {
  const { body, type } = await exporter.get('/metrics');
  assert.match(type, /^text\/plain; version=0\.0\.4/);
  const file = join(mkdtempSync(join(tmpdir(), 'etcd-perf-serve-')), 'metrics.txt');
  writeFileSync(file, body);
  // promtool check metrics lints the exposition (names, units, HELP) and exits non-zero on any problem.
  const lint = execFileSync('bash', ['-c', `promtool check metrics < ${file} 2>&1; echo "exit $?"`], { encoding: 'utf8' });
  assert.equal(lint.trim(), 'exit 0', lint);
});

test('serve: /report is the last collection as HTML, /report.json as check -o json; /healthz, unknown paths, other methods', async () => {
  const html = await exporter.get('/report');
  assert.equal(html.status, 200);
  assert.match(html.type, /^text\/html/);
  for (const m of cluster.members) assert.match(html.body, new RegExp(m.name));
  const json = JSON.parse((await exporter.get('/report.json')).body) as CheckReport;
  assert.equal(json.members.length, 3);
  assert.equal((await exporter.get('/healthz')).status, 200);
  const missing = await exporter.get('/nothing');
  assert.equal(missing.status, 404);
  assert.match(missing.body, /\/metrics/);
  assert.equal((await fetch(`${exporter.url}/metrics`, { method: 'POST' })).status, 405);
});

test('serve: a member killed shows in the next collection (down, unreachable, errors by cause); restarted, it is back', async () => {
  const victim = cluster.members[2]!;
  cluster.kill(2);
  try {
    const down = await exporter.nextCollection();
    assert.equal(valueOf(down, 'etcd_perf_member_up', { member: victim.name }), 0);
    assert.equal(valueOf(down, 'etcd_perf_finding', { id: 'member-unreachable', member: victim.name }), 1);
    assert.ok((valueOf(down, 'etcd_perf_collection_errors_total', { cause: 'refused' }) ?? 0) >= 1, 'a refused connection counted');
    assert.equal(valueOf(down, 'etcd_perf_up'), 1, 'the others still answer');
    assert.equal((await exporter.get('/readyz')).status, 200);
  } finally {
    await cluster.restart(2);
  }
  await cluster.waitHealthy(30_000);
  const back = await exporter.nextCollection();
  assert.equal(valueOf(back, 'etcd_perf_member_up', { member: victim.name }), 1);
  assert.equal(valueOf(back, 'etcd_perf_finding', { id: 'member-unreachable', member: victim.name }), undefined);
});

test('serve: a maintenance run, from any process, lands in the last-maintenance series', async () => {
  const before = await exporter.metrics();
  assert.equal(valueOf(before, 'etcd_perf_last_maintenance_timestamp_seconds'), undefined, 'none recorded yet');
  const ran = await runCli(['maintain', '--yes', '--pause', '0s', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(ran.code, 0, ran.stderr);
  const result = JSON.parse(ran.stdout) as { defrag: { totalFreedBytes: number; steps: Array<{ status: string }> } };
  assert.ok(result.defrag.totalFreedBytes > 0, 'the churn left something to free');
  const after = await exporter.nextCollection();
  assert.equal(valueOf(after, 'etcd_perf_last_maintenance_freed_bytes'), result.defrag.totalFreedBytes);
  assert.equal(valueOf(after, 'etcd_perf_last_maintenance_success', { outcome: 'done' }), 1);
  const when = valueOf(after, 'etcd_perf_last_maintenance_timestamp_seconds') ?? 0;
  assert.ok(Math.abs(Date.now() / 1000 - when) < 60, 'ended just now');
  assert.equal(valueOf(after, 'etcd_perf_finding', { id: 'fragmentation', severity: 'warn' }), undefined, 'nothing fragmented any more');
});

test('serve: SIGTERM stops it at once with exit 0; bad flags are one line and exit 2', async () => {
  const started = Date.now();
  assert.equal(await exporter.stop(), 0);
  assert.ok(Date.now() - started < 10_000);
  assert.match(exporter.stderr, /serving http:\/\/127\.0\.0\.1:\d+\/metrics/);
  const bad = await runCli(['serve', '--interval', '5s', '--window', '10s', '--endpoints', cluster.endpoints[0]!]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'error: --window: the window (10s) must be shorter than the interval (5s)\n');
  const listen = await runCli(['serve', '--listen', 'nowhere', '--endpoints', cluster.endpoints[0]!]);
  assert.equal(listen.code, 2);
  assert.match(listen.stderr, /^error: --listen: expected \[host\]:port/);
});
