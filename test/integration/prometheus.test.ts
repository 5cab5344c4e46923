// A real Prometheus scraping a real 3-member cluster: `check --prometheus-url` reads the members' metrics from it
// (over --range) and gives the same DB sizes as a direct check; bad Prometheus input is one line.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { freePorts } from '../../shared/demo/ports.ts';
import type { CheckReport } from '../../shared/analyse/report.ts';
import { runCli } from '../harness/cli.ts';
import { PrometheusServer } from '../harness/prometheus.ts';

let cluster: LocalCluster;
let prometheus: PrometheusServer;

before(async () => {
  cluster = await LocalCluster.start({ size: 3 });
  prometheus = await PrometheusServer.start({ job: 'etcd', metricsUrls: cluster.members.map((m) => m.metricsUrl) });
  await prometheus.until('all three members scraped', async () => (await prometheus.query('up{job="etcd"} == 1')).length === 3);
  // Writes while Prometheus watches: fsyncs, commits and fragmentation inside the range.
  await writeChurn(cluster, { rounds: 6 });
  await cluster.waitSettled();
  // Prometheus has scraped the settled sizes of every member (two scrapes after the last write).
  await new Promise((resolve) => setTimeout(resolve, 2500));
});

after(async () => {
  await prometheus?.stop();
  await cluster?.dispose();
});

test('check --prometheus-url: the same members and DB sizes as a direct check, metrics from Prometheus over the range', async () => {
  const [viaPrometheus, direct] = await Promise.all([
    runCli(['check', '-o', 'json', '--prometheus-url', prometheus.url, '--range', '5m', '--endpoints', cluster.endpoints.join(',')]),
    runCli(['check', '-o', 'json', '--window', '0', '--endpoints', cluster.endpoints.join(',')]),
  ]);
  assert.notEqual(viaPrometheus.code, 2, viaPrometheus.stderr);
  const ours = JSON.parse(viaPrometheus.stdout) as CheckReport;
  const theirs = JSON.parse(direct.stdout) as CheckReport;
  assert.equal(ours.window.from, `Prometheus ${prometheus.url}`);
  assert.equal(ours.window.lifetime, false);
  assert.ok(ours.window.seconds > 5 && ours.window.seconds <= 300, `covered ${ours.window.seconds}s of history`);
  assert.deepEqual(ours.members.map((m) => m.id).sort(), theirs.members.map((m) => m.id).sort());
  // What Prometheus itself holds for each member's size: the same bytes the members report.
  const sizes = await prometheus.query('etcd_mvcc_db_total_size_in_bytes{job="etcd"}');
  for (const member of ours.members) {
    const other = theirs.members.find((m) => m.id === member.id);
    assert.equal(member.dbSize, other?.dbSize, `${member.name} DB size`);
    assert.equal(member.dbSizeInUse, other?.dbSizeInUse, `${member.name} in use`);
    const scraped = sizes.find((s) => s.metric.instance === new URL(member.endpoint).host);
    assert.equal(Number(scraped?.value[1]), member.dbSize, `${member.name}: Prometheus' etcd_mvcc_db_total_size_in_bytes`);
    // Metrics came from Prometheus: the quota, the fsyncs and commits of the churn inside the range.
    assert.equal(member.quotaBytes, other?.quotaBytes);
    assert.ok(member.quotaBytes !== null, "the quota from etcd_server_quota_backend_bytes in Prometheus");
    const fsync = member.metrics?.quantiles.walFsync;
    assert.ok(fsync && !fsync.lifetime && fsync.samples > 100, `${member.name}: WAL fsync p99 over the range from ${fsync?.samples} fsyncs`);
    assert.ok((member.metrics?.proposalsCommittedPerSecond ?? 0) > 0, 'commits per second over the range');
  }
  // The same analysis: the churn's fragmentation is found either way.
  const fragmented = (r: CheckReport) => r.findings.filter((f) => f.id === 'fragmentation' && f.severity !== 'ok').map((f) => f.member).sort();
  assert.deepEqual(fragmented(ours), fragmented(theirs));
  assert.ok(ours.findings.some((f) => f.id === 'wal-fsync' && / over \d+s from \d+ WAL fsyncs/.test(f.evidence)), 'fsync evidence over the range');
});

test('check --prometheus-url: the text report says where the metrics came from', async () => {
  const result = await runCli(['check', '--prometheus-url', prometheus.url, '--range', '2m', '--endpoints', cluster.endpoints.join(',')]);
  assert.match(result.stdout, new RegExp(`metrics: last \\d+s from Prometheus ${prometheus.url.replace(/[.]/g, '\\.')}`));
});

test('check --prometheus-url: bad input and an unreachable or empty Prometheus are one line', async () => {
  const endpoints = ['--endpoints', cluster.endpoints.join(',')];
  const [nobody] = await freePorts(1);
  for (const [args, code, message] of [
    [['--prometheus-url', 'prometheus:9090'], 2, /--prometheus-url: expected http\(s\):\/\/host:port/],
    [['--prometheus-url', prometheus.url, '--range', '10s'], 2, /--range must be at least 1m/],
    [['--prometheus-url', prometheus.url, '--prometheus-selector', 'job'], 2, /--prometheus-selector: expected label matchers/],
    [['--prometheus-url', prometheus.url, '--prometheus-selector', 'job="nope"'], 2, /has no etcd series matching \{job="nope"\} in the last 3600s: is it scraping/],
    [['--prometheus-url', `http://127.0.0.1:${nobody}`], 3, /^error: Prometheus at http:\/\/127\.0\.0\.1:\d+: .*refused/],
    [['--prometheus-url', `${cluster.endpoints[0]}`], 2, /Prometheus at .*: (HTTP 404|not a Prometheus API answer)/],
  ] as const) {
    const result = await runCli(['check', ...args, ...endpoints]);
    assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
  }
});

interface Dashboard {
  templating: { list: Array<{ name: string; type: string; definition?: string; allValue?: string }> };
  panels: Array<{ title: string; targets: Array<{ expr: string }>; fieldConfig: { defaults: { thresholds: { steps: Array<{ value: number | null }> } } } }>;
}

test('dashboard: every panel\'s query runs against the real Prometheus and returns data; guidance drawn as thresholds', async () => {
  const result = await runCli(['dashboard', '--selector', 'job="etcd"']);
  assert.equal(result.code, 0, result.stderr);
  const dashboard = JSON.parse(result.stdout) as Dashboard;
  const variables = new Map(dashboard.templating.list.map((v) => [v.name, v]));
  assert.equal(variables.get('datasource')?.type, 'datasource');
  // The member variable, as Grafana resolves label_values(): the three members Prometheus scrapes.
  const match = /^label_values\((.+), instance\)$/.exec(variables.get('instance')?.definition ?? '');
  assert.ok(match, 'the instance variable is a label_values() query');
  const response = await fetch(`${prometheus.url}/api/v1/label/instance/values?${new URLSearchParams({ 'match[]': match[1] as string })}`);
  const instances = (await response.json() as { data: string[] }).data.sort();
  assert.deepEqual(instances, cluster.members.map((m) => new URL(m.metricsUrl).host).sort());

  const titles = dashboard.panels.map((p) => p.title);
  for (const wanted of ['DB size and in use', 'Fragmentation', 'Quota use', 'WAL fsync p99', 'Backend commit p99', 'Peer round trip p99', 'Leader changes and leader', 'Proposals', 'gRPC requests and errors', 'Memory (RSS)']) {
    assert.ok(titles.includes(wanted), `panel ${wanted}`);
  }
  const steps = (title: string) => dashboard.panels.find((p) => p.title === title)?.fieldConfig.defaults.thresholds.steps.map((s) => s.value);
  assert.ok(steps('WAL fsync p99')?.includes(0.01), 'the 10 ms line');
  assert.ok(steps('Backend commit p99')?.includes(0.025), 'the 25 ms line');

  let queries = 0;
  for (const panel of dashboard.panels) {
    for (const target of panel.targets) {
      // What Grafana sends for "All" members and its rate interval at this scrape interval.
      const expr = target.expr.replaceAll('$instance', variables.get('instance')?.allValue ?? '.+').replaceAll('$__rate_interval', '1m');
      const series = await prometheus.query(expr);
      assert.ok(series.length > 0, `${panel.title}: ${expr} returned no data`);
      queries += 1;
    }
  }
  assert.ok(queries >= 14, `${queries} queries ran`);
});

test('dashboard: a bad selector or uid is one line', async () => {
  const bad = await runCli(['dashboard', '--uid', 'has space']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --uid: "has space" is not a Grafana uid/);
  const selector = await runCli(['dashboard', '--selector', 'job=etcd']);
  assert.equal(selector.code, 2);
  assert.match(selector.stderr, /^error: --selector: expected label matchers/);
});
