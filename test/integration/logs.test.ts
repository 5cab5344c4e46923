// `logs` on the real etcd 3.4.23 log fixtures (test/fixtures/logs: text and zap JSON, captured by
// scripts/capture-log-fixtures.ts): files and stdin, counts equal to the fixtures' own lines, the slowest requests
// with the request and the expected duration, a per-minute timeline that adds up, findings, one-line errors.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogsReport } from '../../shared/analyse/logs.ts';
import { CLI, runCli } from '../harness/cli.ts';

const fixture = (name: string): string => join(__dirname, '../fixtures/logs', name);
const count = (file: string, pattern: RegExp): number => readFileSync(fixture(file), 'utf8').split('\n').filter((l) => pattern.test(l)).length;

test('both formats of the same incident: counts as in the files, slowest requests with their request, timeline adds up', async () => {
  const text = 'etcd-3.4.23-capnslog-member1.log';
  const zap = 'etcd-3.4.23-zap-member1.log';
  const result = await runCli(['logs', fixture(text), fixture(zap), '-o', 'json']);
  assert.equal(result.code, 1, 'slow WAL syncs over 1 s are critical');
  const report = JSON.parse(result.stdout) as LogsReport;
  const [plain, json] = report.sources;
  assert.deepEqual([plain?.format, json?.format], ['text', 'json']);
  assert.equal(plain?.events['slow-apply']?.count, count(text, /took too long \(/));
  assert.equal(json?.events['slow-apply']?.count, count(zap, /"msg":"apply request took too long"/));
  assert.equal(plain?.events['leader-lost']?.count, count(text, /lost leader/));
  assert.equal(json?.events['leader-elected']?.count, count(zap, /elected leader/));
  assert.ok(report.slowestRequests.length > 3);
  assert.ok(report.slowestRequests.every((r, i) => i === 0 || r.ms <= (report.slowestRequests[i - 1]?.ms ?? Infinity)));
  assert.deepEqual(report.slowestRequests[0], {
    source: fixture(text), time: '2026-11-24T09:09:48.709Z', ms: 1500.578, expectedMs: 100,
    request: 'header:<ID:6428785169031158758 > put:<key:"/fixture/76" value_size:8192 >',
  });
  assert.ok(report.slowestRequests.some((r) => r.source === fixture(zap) && r.request === 'read-only range key:"health"'), 'zap fields give the same request text');
  const timed = report.timeline.reduce((sum, { minute: _minute, ...counts }) => sum + Object.values(counts).reduce((a, b) => a + (b ?? 0), 0), 0);
  const events = report.sources.reduce((sum, s) => sum + Object.values(s.events).reduce((a, e) => a + (e?.count ?? 0), 0), 0);
  assert.equal(timed, events);
  assert.deepEqual(report.findings.filter((f) => f.severity === 'crit').map((f) => f.id), ['log-slow-fdatasync', 'log-slow-fdatasync']);
  const table = await runCli(['logs', fixture(text)]);
  assert.match(table.stdout, /slowest requests\n {2}1\.50 s \(expected 100\.0 ms\)/);
  assert.match(table.stdout, /per minute \(UTC\)\n {2}2026-11-24 09:09 /);
});

test('stdin with -, and --fail-on warn', () => {
  const input = readFileSync(fixture('etcd-3.4.23-zap-member2.log'));
  const result = spawnSync(process.execPath, [CLI, 'logs', '-', '-o', 'json', '--fail-on', 'warn'], { input });
  const report = JSON.parse(result.stdout.toString()) as LogsReport;
  assert.equal(report.sources[0]?.name, 'stdin');
  assert.equal(report.sources[0]?.lines, readFileSync(fixture('etcd-3.4.23-zap-member2.log'), 'utf8').split('\n').filter((l) => l.trim()).length);
  assert.equal(result.status, report.findings.some((f) => f.severity === 'warn' || f.severity === 'crit') ? 1 : 0);
});

test('bad input: a missing file, a directory, nothing to read, a bad --since; a file that is not an etcd log', async () => {
  for (const [args, message] of [
    [['/nonexistent/etcd.log'], /^error: \/nonexistent\/etcd\.log: no such file\n$/],
    [['/tmp'], /^error: \/tmp: is a directory\n$/],
    [['--endpoints', '127.0.0.1:1'], /^error: give etcd log files, or reach the etcd pods' logs with a kubeconfig/],
    [['--since', 'yesterday', fixture('etcd-3.4.23-zap-member1.log')], /^error: --since/],
    [['--fail-on', 'info', fixture('etcd-3.4.23-zap-member1.log')], /^error: --fail-on: unknown severity "info" \(choose warn or crit\)\n$/],
  ] as const) {
    const result = await runCli(['logs', ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  const other = await runCli(['logs', '/etc/passwd', '-o', 'json']);
  assert.equal(other.code, 0);
  assert.deepEqual((JSON.parse(other.stdout) as LogsReport).findings.map((f) => f.id), ['log-unrecognised']);
});
