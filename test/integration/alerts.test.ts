// `alerts` checked by the real promtool: both formats load (`promtool check rules`), and the unit tests in
// test/promtool/alerts.test.yaml (each alert firing on series that should fire it, quiet on the rest, "slow two hours
// ago, fast now" included) pass against the rules the built CLI prints.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { CLI, runCli } from '../harness/cli.ts';

const exec = promisify(execFile);
const promtool = (...args: string[]) => exec('promtool', args, { encoding: 'utf8' }).catch((error: { stdout: string; stderr: string }) => {
  throw new Error(`promtool ${args.join(' ')} failed:\n${error.stdout}${error.stderr}`);
});

interface RuleFile { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; labels: { severity: string }; annotations: Record<string, string> }> }> }

test('promtool check rules accepts both formats, and every alert carries severity, summary, description and runbook', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-alerts-'));
  const rules = await runCli(['alerts', '--format', 'rules']);
  assert.equal(rules.code, 0, rules.stderr);
  writeFileSync(join(dir, 'rules.yaml'), rules.stdout);
  const checked = await promtool('check', 'rules', join(dir, 'rules.yaml'));
  assert.match(checked.stdout, /SUCCESS: 16 rules found/);

  const operator = await runCli(['alerts', '--namespace', 'observability', '--name', 'etcd-alerts']);
  assert.equal(operator.code, 0, operator.stderr);
  const object = parse(operator.stdout) as { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: RuleFile };
  assert.equal(object.apiVersion, 'monitoring.coreos.com/v1');
  assert.equal(object.kind, 'PrometheusRule');
  assert.deepEqual([object.metadata.name, object.metadata.namespace], ['etcd-alerts', 'observability']);
  // The operator hands spec.groups to Prometheus as a rules file: promtool checks exactly that.
  writeFileSync(join(dir, 'operator.yaml'), stringify(object.spec));
  assert.match((await promtool('check', 'rules', join(dir, 'operator.yaml'))).stdout, /SUCCESS: 16 rules found/);
  assert.deepEqual(object.spec.groups[0]?.rules, (parse(rules.stdout) as RuleFile).groups[0]?.rules, 'the same rules in both formats');

  for (const rule of object.spec.groups[0]?.rules ?? []) {
    assert.match(rule.labels.severity, /^(warning|critical)$/, rule.alert);
    for (const key of ['summary', 'description', 'runbook']) assert.ok((rule.annotations[key] ?? '').length > 10, `${rule.alert} ${key}`);
    if (/histogram_quantile/.test(rule.expr)) assert.match(rule.expr, /rate\([a-z_]+_bucket\{[^}]*\}\[5m\]\)/, `${rule.alert}: quantiles of rate()d buckets`);
  }
});

test('promtool test rules: each alert fires when it should and not otherwise, old slowness included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-alerts-'));
  const rules = await runCli(['alerts', '--format', 'rules', '--selector', 'job=~".*etcd.*"']);
  assert.equal(rules.code, 0, rules.stderr);
  writeFileSync(join(dir, 'rules.yaml'), rules.stdout);
  copyFileSync(join(__dirname, '../promtool/alerts.test.yaml'), join(dir, 'alerts.test.yaml'));
  const result = await promtool('test', 'rules', join(dir, 'alerts.test.yaml'));
  assert.match(result.stdout, /SUCCESS/);

  // The same suite fails when a threshold moves: the tests pin behaviour, they do not merely load.
  const raised = await runCli(['alerts', '--format', 'rules', '--wal-fsync-warn', '20ms']);
  writeFileSync(join(dir, 'rules.yaml'), raised.stdout);
  await assert.rejects(promtool('test', 'rules', join(dir, 'alerts.test.yaml')), /EtcdWalFsyncSlow/);
});

test('alerts --on exporter: the fleet rules load, and promtool\'s tests of them pass (three clusters by their cluster label); another cluster label moves with them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-fleet-alerts-'));
  const rules = await runCli(['alerts', '--on', 'exporter', '--format', 'rules', '--selector', 'job="etcd-perf"']);
  assert.equal(rules.code, 0, rules.stderr);
  writeFileSync(join(dir, 'fleet-rules.yaml'), rules.stdout);
  assert.match((await promtool('check', 'rules', join(dir, 'fleet-rules.yaml'))).stdout, /SUCCESS: 7 rules found/);
  copyFileSync(join(__dirname, '../promtool/fleet-alerts.test.yaml'), join(dir, 'fleet-alerts.test.yaml'));
  assert.match((await promtool('test', 'rules', join(dir, 'fleet-alerts.test.yaml'))).stdout, /SUCCESS/);
  for (const rule of (parse(rules.stdout) as RuleFile).groups[0]?.rules ?? []) {
    assert.match(rule.labels.severity, /^(warning|critical)$/, rule.alert);
    for (const key of ['summary', 'description', 'runbook']) assert.ok((rule.annotations[key] ?? '').length > 10, `${rule.alert} ${key}`);
  }
  // Keyed by another label, the verdict rules group by it, and the same tests fail (they expect cluster).
  const other = await runCli(['alerts', '--on', 'exporter', '--format', 'rules', '--selector', 'job="etcd-perf"', '--cluster-label', 'k8s_cluster']);
  assert.match(other.stdout, /max by \(k8s_cluster\) \(etcd_perf_verdict/);
  writeFileSync(join(dir, 'fleet-rules.yaml'), other.stdout);
  await assert.rejects(promtool('test', 'rules', join(dir, 'fleet-alerts.test.yaml')), /EtcdPerfClusterCritical/);
  const bad = await runCli(['alerts', '--on', 'exporter', '--cluster-label', 'not a label']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'error: --cluster-label: "not a label" is not a Prometheus label name\n');
});

test('thresholds and the selector are flags; bad values are one-line errors', async () => {
  const custom = await runCli(['alerts', '--format', 'rules', '--selector', '{job="etcd", cluster!="test"}', '--wal-fsync-warn', '20ms',
    '--db-size', '4GiB', '--quota-warn', '70', '--leader-changes', '5', '--peer-rtt', '100ms', '--growth-hours', '6']);
  assert.equal(custom.code, 0, custom.stderr);
  const rules = new Map((parse(custom.stdout) as RuleFile).groups[0]?.rules.map((r) => [r.alert, r]));
  assert.match(rules.get('EtcdWalFsyncSlow')?.expr ?? '', /\{job="etcd", cluster!="test"\}\[5m\]\)\)\) > 0\.02$/);
  assert.match(rules.get('EtcdDatabaseLarge')?.expr ?? '', / > 4294967296$/);
  assert.match(rules.get('EtcdDatabaseQuotaNearlyFull')?.expr ?? '', / > 0\.7$/);
  assert.match(rules.get('EtcdFrequentLeaderChanges')?.expr ?? '', / > 5$/);
  assert.match(rules.get('EtcdPeerRttSlow')?.expr ?? '', / > 0\.1$/);
  assert.match(rules.get('EtcdDatabaseGrowthExcessive')?.expr ?? '', /\[6h\], 6 \* 3600\)/);
  assert.match(rules.get('EtcdWalFsyncSlow')?.annotations.description ?? '', /under 20 ms/);

  for (const [args, message] of [
    [['--selector', 'job=etcd'], /--selector: expected label matchers/],
    [['--wal-fsync-warn', 'fast'], /--wal-fsync-warn/],
    [['--quota-warn', '150'], /--quota-warn: expected a percentage/],
    [['--wal-fsync-crit', '5ms'], /--wal-fsync-crit must be above --wal-fsync-warn/],
    [['--format', 'grafana'], /--format: unknown format "grafana"/],
    [['--name', 'Etcd Alerts'], /--name: "Etcd Alerts" is not a valid Kubernetes name/],
  ] as const) {
    const result = await runCli(['alerts', ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
  }
});

test('--out writes the file whole and says where', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-alerts-'));
  const file = join(dir, 'etcd.rules.yaml');
  const result = await runCli(['alerts', '--format', 'rules', '--out', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /wrote 16 alert rules to .*etcd\.rules\.yaml/);
  assert.equal((parse(readFileSync(file, 'utf8')) as RuleFile).groups[0]?.rules.length, 16);
  const missing = await runCli(['alerts', '--out', join(dir, 'no/such/dir/x.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: --out .*no\/such\/dir\/x\.yaml: /);
});

test('a reader that stops early (| head) ends the plugin quietly: exit 0, no stack trace', async () => {
  const child = spawn(process.execPath, [CLI, 'dashboard'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout.destroy(); // closed before the first write: every write meets a closed pipe
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
