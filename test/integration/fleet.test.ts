// The fleet: two local clusters ("prod", 3 members with real fragmentation; "dev", 1 member), an exporter on each,
// and one real Prometheus scraping both (the `cluster` label set per target) with the fleet rules of `alerts --on
// exporter` loaded: the rules evaluate on real series and a finding's alert goes pending for its cluster alone, and
// every panel of `dashboard --on exporter` returns data for both clusters. (The rules' firing over time is pinned by
// promtool in alerts.test.ts.) MATRIX: once (what it checks does not change with etcd's version).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { runCli } from '../harness/cli.ts';
import { ExporterProcess } from '../harness/exporter.ts';
import { PrometheusServer } from '../harness/prometheus.ts';

let prod: LocalCluster;
let dev: LocalCluster;
const exporters: ExporterProcess[] = [];
let prometheus: PrometheusServer;

before(async () => {
  [prod, dev] = await Promise.all([LocalCluster.start({ size: 3 }), LocalCluster.start({ size: 1 })]);
  await writeChurn(prod, { rounds: 14 });
  for (const cluster of [prod, dev]) {
    exporters.push(await ExporterProcess.start(['--endpoints', cluster.endpoints.join(','), '--interval', '2s', '--window', '1s']));
  }
  await Promise.all(exporters.map((e) => e.until('ready', async () => (await e.get('/readyz')).status === 200)));
  const rules = await runCli(['alerts', '--on', 'exporter', '--format', 'rules', '--selector', 'job="etcd-perf"']);
  assert.equal(rules.code, 0, rules.stderr);
  prometheus = await PrometheusServer.start({
    job: 'etcd-perf', metricsUrls: exporters.map((e) => `${e.url}/metrics`), labels: [{ cluster: 'prod' }, { cluster: 'dev' }], rules: rules.stdout,
  });
  await prometheus.until('both exporters scraped', async () => (await prometheus.query('etcd_perf_up == 1')).length === 2);
});

after(async () => {
  await prometheus?.stop();
  await Promise.all(exporters.map((e) => e.stop()));
  await Promise.all([prod?.dispose(), dev?.dispose()]);
});

test('fleet: one Prometheus tells the clusters apart by their cluster label: verdicts, members, findings', async () => {
  const verdicts = await prometheus.query('max by (cluster, status) (etcd_perf_verdict) == 1');
  assert.deepEqual(verdicts.map((v) => v.metric.cluster).sort(), ['dev', 'prod'], 'one verdict per cluster');
  const members = await prometheus.query('count by (cluster) (etcd_perf_member_up == 1)');
  assert.deepEqual(Object.fromEntries(members.map((m) => [m.metric.cluster, m.value[1]])), { prod: '3', dev: '1' });
  const fragmented = await prometheus.query('etcd_perf_finding{id="fragmentation", severity="warn"}');
  assert.deepEqual([...new Set(fragmented.map((f) => f.metric.cluster))], ['prod'], 'the churned cluster alone is fragmented');
  assert.equal(fragmented.length, 3, 'on each of its members');
});

test('fleet: Prometheus loads the rules of alerts --on exporter, evaluates them on the exporters\' series, and the fragmentation warning goes pending for prod alone', async () => {
  type Rules = { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
  await prometheus.until('the rules evaluated', async () => (await prometheus.api<Rules>('/api/v1/rules')).groups.flatMap((g) => g.rules).every((r) => r.health === 'ok'));
  const rules = (await prometheus.api<Rules>('/api/v1/rules')).groups.flatMap((g) => g.rules);
  assert.equal(rules.length, 7);
  for (const rule of rules) assert.equal(rule.health, 'ok', `${rule.name}: ${rule.lastError ?? ''}`);
  type Alerts = { alerts: Array<{ labels: Record<string, string>; state: string }> };
  await prometheus.until('a pending finding alert', async () => (await prometheus.api<Alerts>('/api/v1/alerts')).alerts.some((a) => a.labels.alertname === 'EtcdPerfFindingWarning'));
  const pending = (await prometheus.api<Alerts>('/api/v1/alerts')).alerts.filter((a) => a.labels.alertname === 'EtcdPerfFindingWarning' && a.labels.id === 'fragmentation');
  assert.deepEqual(pending.map((a) => [a.labels.cluster, a.state, a.labels.severity]).sort(), [['prod', 'pending', 'warning'], ['prod', 'pending', 'warning'], ['prod', 'pending', 'warning']]);
  assert.deepEqual(pending.map((a) => a.labels.member).sort(), prod.members.map((m) => m.name).sort());
});

interface Dashboard {
  templating: { list: Array<{ name: string; definition?: string; allValue?: string }> };
  panels: Array<{ title: string; type: string; targets: Array<{ expr: string }> }>;
}

test('fleet: every panel of dashboard --on exporter returns data, and its cluster variable lists both clusters', async () => {
  const result = await runCli(['dashboard', '--on', 'exporter', '--selector', 'job="etcd-perf"']);
  assert.equal(result.code, 0, result.stderr);
  const dashboard = JSON.parse(result.stdout) as Dashboard;
  const variable = dashboard.templating.list.find((v) => v.name === 'cluster');
  const match = /^label_values\((.+), cluster\)$/.exec(variable?.definition ?? '');
  assert.ok(match, 'a cluster variable from label_values()');
  const response = await fetch(`${prometheus.url}/api/v1/label/cluster/values?${new URLSearchParams({ 'match[]': match[1] as string })}`);
  assert.deepEqual(((await response.json()) as { data: string[] }).data.sort(), ['dev', 'prod']);
  const titles = dashboard.panels.map((p) => p.title);
  for (const wanted of ['Clusters by verdict', 'Worst findings', 'Verdict and bottleneck by cluster', 'Quota use, worst member', 'Fragmentation, worst member']) {
    assert.ok(titles.includes(wanted), `panel ${wanted}`);
  }
  const query = (expr: string) => prometheus.query(expr.replaceAll('$cluster', variable?.allValue ?? '.+'));
  const worst = await query(dashboard.panels.find((p) => p.title === 'Worst findings')?.targets[0]?.expr ?? '');
  assert.ok(worst.some((s) => s.metric.cluster === 'prod' && s.metric.id === 'fragmentation'), 'prod\'s fragmentation among the worst findings');
  // Every panel has data while prod is fragmented, but the maintenance panel: none has run yet. Then one runs.
  const maintenance = dashboard.panels.find((p) => p.title === 'Since the last maintenance');
  for (const panel of dashboard.panels.filter((p) => p !== maintenance)) {
    for (const target of panel.targets) assert.ok((await query(target.expr)).length > 0, `${panel.title}: ${target.expr} returned no data`);
  }
  for (const target of maintenance?.targets ?? []) assert.equal((await query(target.expr)).length, 0, 'no maintenance yet');
  const maintained = await runCli(['maintain', '--yes', '--pause', '0s', '--endpoints', prod.endpoints.join(',')]);
  assert.equal(maintained.code, 0, maintained.stderr);
  await prometheus.until('the maintenance scraped', async () => (await prometheus.query('etcd_perf_last_maintenance_success{cluster="prod"} == 1')).length === 1);
  for (const target of maintenance?.targets ?? []) {
    assert.deepEqual((await query(target.expr)).map((s) => s.metric.cluster), ['prod'], `${target.expr}: prod's maintenance`);
  }
});
