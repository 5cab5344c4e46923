// Faults and bad input: every one ends within its deadlines with a one-line error naming the member and the cause.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { LocalCluster } from '../../shared/demo/local-cluster.ts';
import { runCli } from '../harness/cli.ts';
import { freePorts } from '../../shared/demo/ports.ts';
import type { CheckReport } from '../../shared/analyse/report.ts';
import { etcdVersion } from '../harness/etcd.ts';

let cluster: LocalCluster;
const servers: Server[] = [];

function serve(handler: (path: string) => { status: number; body: string }): Promise<string> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const { status, body } = handler(req.url ?? '/');
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
    servers.push(server);
    freePorts(1).then(([port]) => server.listen(port, '127.0.0.1', () => resolve(`127.0.0.1:${port}`)));
  });
}

before(async () => {
  cluster = await LocalCluster.start({ size: 3, separateMetrics: true });
});

after(async () => {
  for (const server of servers) server.close();
  await cluster?.dispose();
});

function oneLine(text: string): void {
  assert.equal(text.trimEnd().split('\n').length, 1, `expected one line, got:\n${text}`);
  assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
}

function leaderIndex(): number {
  const status = cluster.etcdctl(['endpoint', 'status', '-w', 'table']);
  const row = status.split('\n').find((line) => /\|\s*true\s*\|/.test(line)) ?? '';
  return cluster.members.findIndex((m) => row.includes(m.clientUrl));
}

const metricsFlags = (): string[] => ['--endpoints', cluster.endpoints.join(','), '--metrics-urls', cluster.members.map((m) => m.metricsUrl).join(',')];

test('separate metrics listeners are read through --metrics-urls', async () => {
  const result = await runCli(['check', '--window', '0', '-o', 'json', ...metricsFlags()]);
  const report = JSON.parse(result.stdout) as CheckReport;
  for (const m of report.members) assert.ok(m.quotaBytes === 2147483648 && m.metrics !== null, `${m.name} metrics from ${cluster.members[0]?.metricsUrl}`);
  assert.equal(report.findings.filter((f) => f.id === 'metrics-unavailable').length, 0);
});

test('without --metrics-urls, metrics come from each client URL', async () => {
  const result = await runCli(['check', '--window', '0', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]);
  const report = JSON.parse(result.stdout) as CheckReport;
  assert.equal(report.members.length, 3);
  assert.ok(report.members.every((m) => m.healthy && m.metrics !== null && m.quotaBytes === 2147483648));
});

test('garbage /metrics is a finding naming the member and the line, the rest is still read', async () => {
  const garbage = await serve(() => ({ status: 200, body: '<html><body>not metrics</body></html>\n' }));
  const urls = cluster.members.map((m, i) => (i === 1 ? `http://${garbage}/metrics` : m.metricsUrl)).join(',');
  const result = await runCli(['check', '--window', '0', '-o', 'json', '--endpoints', cluster.endpoints.join(','), '--metrics-urls', urls]);
  const report = JSON.parse(result.stdout) as CheckReport;
  const finding = report.findings.find((f) => f.id === 'metrics-unavailable');
  assert.equal(finding?.member, 'etcd-2');
  assert.match(finding?.evidence ?? '', new RegExp(`metrics http://${garbage}/metrics: line 1: expected a metric name`));
  const byName = (name: string) => report.members.find((m) => m.name === name);
  assert.equal(byName('etcd-2')?.dbSize !== null && byName('etcd-2')?.healthy, true, 'status still read');
  assert.equal(byName('etcd-2')?.metrics, null);
  assert.ok(byName('etcd-1')?.metrics && byName('etcd-3')?.metrics, 'the other members\' metrics still read');
});

test('a second scrape that fails leaves no metrics for that member, never lifetime figures passed off as the window\'s', async () => {
  const real = await (await fetch(cluster.members[0]!.metricsUrl)).text();
  let served = 0;
  const flaky = await serve(() => (served++ === 0 ? { status: 200, body: real } : { status: 500, body: 'oops' }));
  const urls = cluster.members.map((m, i) => (i === 0 ? `http://${flaky}/metrics` : m.metricsUrl)).join(',');
  const result = await runCli(['check', '--window', '1s', '-o', 'json', '--endpoints', cluster.endpoints.join(','), '--metrics-urls', urls]);
  const report = JSON.parse(result.stdout) as CheckReport;
  const first = report.members.find((m) => m.name === 'etcd-1');
  assert.equal(first?.metrics, null);
  const finding = report.findings.find((f) => f.id === 'metrics-unavailable');
  assert.match(finding?.evidence ?? '', /\(second scrape\): HTTP 500/);
  assert.ok(report.members.filter((m) => m.name !== 'etcd-1').every((m) => m.metrics !== null));
});

test('an unreachable endpoint: exit 3 and one line naming it and the cause', async () => {
  const [port] = await freePorts(1);
  const result = await runCli(['check', '--window', '0', '--endpoints', `127.0.0.1:${port}`]);
  assert.equal(result.code, 3);
  oneLine(result.stderr);
  assert.match(result.stderr, new RegExp(`^error: no member reachable: http://127.0.0.1:${port}: connection refused$`, 'm'));
});

test('an HTTP server that is not etcd: exit 3, says so', async () => {
  const web = await serve(() => ({ status: 404, body: 'not found' }));
  const result = await runCli(['check', '--window', '0', '--endpoints', web]);
  assert.equal(result.code, 3);
  oneLine(result.stderr);
  assert.match(result.stderr, new RegExp(`http://${web}: .*not an etcd gRPC endpoint`));
});

test('bad usage: exit 2 with one line, never a stack trace', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['check', '--endpoints', 'ftp://x:1'], /--endpoints: invalid endpoint "ftp:\/\/x:1": scheme must be http or https/],
    [['check', '--endpoints', 'localhost'], /--endpoints: invalid endpoint "localhost": missing port/],
    [['check', '--window', 'soon'], /--window: invalid duration "soon"/],
    [['check', '--dial-timeout', '5'], /--dial-timeout: invalid duration "5"/],
    [['check', '--bogus'], /unknown option '--bogus'/],
    [['check', '-o', 'xml'], /-o\/--output: unknown format "xml"/],
    [['check', '--fail-on', 'info'], /--fail-on: unknown severity "info" \(choose warn or crit\)/],
    [['check', '--cacert', '/nonexistent/ca.crt'], /--cacert: cannot read \/nonexistent\/ca.crt \(no such file\)/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    oneLine(result.stderr);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, '');
  }
  const help = await runCli(['check', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--window <duration>/);
  assert.match(help.stdout, /Exit codes: 0/);
});

test('a frozen member (SIGSTOP) is bounded by --command-timeout and named', async (t) => {
  const frozen = (leaderIndex() + 1) % 3;
  const member = cluster.members[frozen];
  cluster.kill(frozen, 'SIGSTOP');
  t.after(async () => {
    cluster.kill(frozen, 'SIGCONT');
    await cluster.waitHealthy(30_000); // the resumed member calls an election: let it settle
  });
  const result = await runCli(['check', '--window', '0', '--command-timeout', '2s', '-o', 'json', ...metricsFlags()]);
  const report = JSON.parse(result.stdout) as CheckReport;
  const stopped = report.members.find((m) => m.name === member?.name);
  assert.equal(stopped?.healthy, false);
  assert.match(stopped?.error ?? '', /no answer within 2s \(the command timeout\)/);
  assert.ok(result.ms < 2000 + 4000, `ended ${result.ms} ms after start: one command timeout plus start-up`);
  const others = report.members.filter((m) => m.name !== member?.name);
  assert.ok(others.every((m) => m.healthy && m.dbSize !== null && m.metrics !== null), 'the others fully read');
  const f = report.findings.find((x) => x.member === member?.name && x.severity === 'crit');
  assert.ok(f, 'the frozen member is a critical finding');
  assert.equal(result.code, 1);
});

test('a killed member (SIGKILL) is critical, the others fully read, within 12 s with the default 10 s window', async () => {
  const victim = (leaderIndex() + 2) % 3;
  const name = cluster.members[victim]?.name;
  cluster.kill(victim, 'SIGKILL');
  const result = await runCli(['check', '-o', 'json', ...metricsFlags()]);
  assert.ok(result.ms < 12_000, `took ${result.ms} ms`);
  const report = JSON.parse(result.stdout) as CheckReport;
  assert.deepEqual(report.window, { seconds: 10, lifetime: false });
  const dead = report.members.find((m) => m.name === name);
  assert.equal(dead?.healthy, false);
  assert.equal(dead?.dbSize, null);
  assert.match(dead?.error ?? '', /unreachable: connection refused/);
  const finding = report.findings.find((f) => f.id === 'member-unreachable');
  assert.equal(finding?.member, name);
  assert.equal(finding?.severity, 'crit');
  const alive = report.members.filter((m) => m.name !== name);
  assert.equal(alive.length, 2);
  for (const m of alive) {
    assert.ok(m.healthy && m.dbSize !== null && m.version === etcdVersion(), `${m.name} fully read: ${JSON.stringify({ healthy: m.healthy, error: m.error, dbSize: m.dbSize, version: m.version })}`);
    assert.ok(m.metrics !== null && m.metrics.walFsyncP99Seconds !== null && m.quotaBytes !== null, `${m.name} metrics`);
  }
  assert.equal(report.verdict.status, 'critical');
  assert.equal(report.verdict.bottleneck, 'membership');
  assert.equal(result.code, 1);
  const table = await runCli(['check', '--window', '0', ...metricsFlags()]);
  assert.match(table.stdout, new RegExp(`CRIT  ${name} is unreachable`));
  await cluster.restart(victim);
});
