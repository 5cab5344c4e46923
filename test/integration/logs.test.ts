// `logs` on real etcd logs: the captured fixtures of every version and format (test/fixtures/logs, made by
// scripts/capture-log-fixtures.ts) through the CLI, files and stdin, as users hold them (a CRI file on stdin); counts
// equal to the fixtures' own lines, lower bounds where zap sampled, the slowest requests with the request and the
// expected duration, a per-minute timeline that adds up, findings, one-line errors; and a live member of the etcd on
// PATH (its version's own formats) driven through compaction, defragmentation and NOSPACE, its log read back.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { LogsReport } from '../../shared/analyse/logs.ts';
import { LocalCluster } from '../../shared/demo/local-cluster.ts';
import { CLI, runCli } from '../harness/cli.ts';
import { CAPTURED, EMBEDDED, KINDS, SAMPLED, worded } from '../unit/etcd-log-words.ts';

const fixture = (name: string): string => join(__dirname, '../fixtures/logs', name);
const count = (file: string, pattern: RegExp): number => readFileSync(fixture(file), 'utf8').split('\n').filter((l) => pattern.test(l)).length;
const events = (report: LogsReport): number => report.sources.reduce((sum, s) => sum + Object.values(s.events).reduce((a, e) => a + (e?.count ?? 0), 0), 0);
const timed = (report: LogsReport): number => report.timeline.reduce((sum, { minute: _minute, ...counts }) => sum + Object.values(counts).reduce((a, b) => a + (b ?? 0), 0), 0);

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
  assert.equal(json?.events['leader-elected']?.count, count(zap, /elected leader|changed leader from/));
  assert.ok(report.slowestRequests.length > 3);
  assert.ok(report.slowestRequests.every((r, i) => i === 0 || r.ms <= (report.slowestRequests[i - 1]?.ms ?? Infinity)));
  assert.deepEqual(report.slowestRequests[0], {
    source: fixture(text), time: '2026-11-24T09:09:48.709Z', ms: 1500.578, expectedMs: 100,
    request: 'header:<ID:6428785169031158758 > put:<key:"/fixture/76" value_size:8192 >',
  });
  assert.ok(report.slowestRequests.some((r) => r.source === fixture(zap) && r.request === 'read-only range key:"health"'), 'zap fields give the same request text');
  assert.equal(timed(report), events(report));
  assert.deepEqual(report.findings.filter((f) => f.severity === 'crit').map((f) => f.id), ['log-slow-fdatasync', 'log-slow-fdatasync']);
  const table = await runCli(['logs', fixture(text)]);
  assert.match(table.stdout, /slowest requests\n {2}1\.50 s \(expected 100\.0 ms\)/);
  assert.match(table.stdout, /per minute \(UTC\)\n {2}2026-11-24 09:09 /);
});

test('every version and format: each sign as often as the log says it, zap\'s sampled burst a lower bound in JSON and text', async () => {
  const names = [...CAPTURED, EMBEDDED];
  const result = await runCli(['logs', ...names.map(fixture), '-o', 'json']);
  assert.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout) as LogsReport;
  assert.deepEqual(report.sources.map((s) => s.format), ['text', 'json', 'json', 'console', 'json', 'console', 'json']);
  report.sources.forEach((source, i) => {
    const name = names[i] as string;
    const text = readFileSync(fixture(name), 'utf8');
    for (const kind of KINDS) assert.equal(source.events[kind]?.count, worded(text, kind) || undefined, `${name}: ${kind}`);
    const sampled = SAMPLED.includes(name);
    assert.equal(source.events['slow-apply']?.lowerBound, sampled ? true : undefined, name);
    const finding = report.findings.find((f) => f.id === 'log-slow-apply' && f.member === fixture(name));
    assert.match(finding?.title ?? '', sampled ? /: at least \d+ slow requests/ : /: \d+ slow requests/, name);
  });
  assert.equal(timed(report), events(report));
  assert.deepEqual([...new Set(report.findings.map((f) => f.id))].sort(), [
    'log-compaction', 'log-defrag', 'log-heartbeat-late', 'log-leader-lost', 'log-nospace', 'log-sending-buffer-full', 'log-slow-apply', 'log-slow-fdatasync',
  ]);
  const table = await runCli(['logs', fixture('etcd-3.6.16-console.log'), fixture('etcd-3.4.23-capnslog.log')]);
  const rows = table.stdout.split('\n');
  assert.match(rows.find((r) => r.includes('etcd-3.6.16-console.log')) ?? '', / ≥\d+ /, 'the sampled count with its mark');
  assert.doesNotMatch(rows.find((r) => r.includes('etcd-3.4.23-capnslog.log')) ?? '', /≥/);
  assert.match(table.stdout, /≥ at least: zap sampled these lines/);
});

test('stdin with -, as a CRI file (split lines) or a journald export, and --fail-on warn', () => {
  const bare = readFileSync(fixture('etcd-3.7.3-console.log'), 'utf8').split('\n').filter((l) => l.trim());
  const plain = JSON.parse(spawnSync(process.execPath, [CLI, 'logs', '-', '-o', 'json'], { input: bare.join('\n') }).stdout.toString()) as LogsReport;
  const cri = bare.flatMap((l) => {
    const stamp = `${/^\S+/.exec(l)?.[0].replace('Z', '')}000+00:00`;
    return l.length > 300 ? [`${stamp} stderr P ${l.slice(0, 200)}`, `${stamp} stderr F ${l.slice(200)}`] : [`${stamp} stderr F ${l}`];
  });
  const journald = bare.map((l) => `Dec 01 07:02:21 cp-1 etcd[812]: ${l}`);
  for (const lines of [cri, journald]) {
    const result = spawnSync(process.execPath, [CLI, 'logs', '-', '-o', 'json', '--fail-on', 'warn'], { input: lines.join('\n') });
    const report = JSON.parse(result.stdout.toString()) as LogsReport;
    assert.equal(report.sources[0]?.name, 'stdin');
    assert.equal(report.sources[0]?.lines, bare.length);
    assert.deepEqual(report.sources[0]?.events, plain.sources[0]?.events);
    assert.equal(result.status, 1, 'late heartbeats and slow requests are warnings');
  }
});

test('a rotated log the kubelet compressed (.gz) reads as the log itself', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-logs-'));
  try {
    const gz = join(dir, '0.log.20261201-070221.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('etcd-3.5.35-zap.log'))));
    const [zipped, plain] = await Promise.all([gz, fixture('etcd-3.5.35-zap.log')].map((f) => runCli(['logs', f, '-o', 'json'])));
    assert.deepEqual((JSON.parse(zipped?.stdout ?? '') as LogsReport).sources[0]?.events, (JSON.parse(plain?.stdout ?? '') as LogsReport).sources[0]?.events);
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    const broken = await runCli(['logs', gz]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^error: .*\.gz: not a gzip file it claims to be/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  const report = JSON.parse(other.stdout) as LogsReport;
  assert.deepEqual(report.findings.map((f) => f.id), ['log-unrecognised']);
  assert.equal(report.sources[0]?.format, 'unknown');
});

/** The log formats the etcd on PATH writes, with the flags for each (3.4: capnslog text or zap; 3.5: zap JSON; 3.6+: JSON or console). */
function formatsOnPath(): { version: string; formats: Array<{ format: string; flags: string[] }> } {
  const version = /^etcd Version: (\S+)/.exec(execFileSync('etcd', ['--version'], { encoding: 'utf8' }))?.[1] ?? '';
  if (version.startsWith('3.4.')) return { version, formats: [{ format: 'text', flags: [] }, { format: 'json', flags: ['--logger=zap'] }] };
  if (version.startsWith('3.5.')) return { version, formats: [{ format: 'json', flags: [] }] };
  return { version, formats: [{ format: 'json', flags: [] }, { format: 'console', flags: ['--log-format=console'] }] };
}

test('a live member of the etcd on PATH, in each format it writes: election, compaction, defragmentation, NOSPACE', async () => {
  const { version, formats } = formatsOnPath();
  for (const { format, flags } of formats) {
    const cluster = await LocalCluster.start({ size: 1, quotaBackendBytes: 16 * 1024 * 1024, extraFlags: flags });
    try {
      const [member] = cluster.members;
      // A client whose writes are refused turns the next ones away itself for a while: one client per attempt.
      const put = async (key: string, value: Buffer): Promise<'done' | 'refused'> => {
        const client = cluster.client();
        try {
          await client.put(key).value(value).exec();
          return 'done';
        } catch (error) {
          if (/database space exceeded|no space/.test(String(error))) return 'refused';
          throw error;
        } finally {
          client.close();
        }
      };
      const big = Buffer.alloc(1024 * 1024, 'q');
      for (let i = 0; (await put(`/quota/${i % 4}`, big)) === 'done'; i += 1) assert.ok(i < 100, 'NOSPACE within 100 MiB of writes');
      await fetch(`${member?.clientUrl}/health`);
      cluster.etcdctl(['compact', String(/"revision":(\d+)/.exec(cluster.etcdctl(['endpoint', 'status', '-w', 'json']))?.[1]), '--physical']);
      cluster.etcdctl(['defrag']);
      assert.equal(await put('/quota/refused', Buffer.from('x')), 'refused', 'defragmented, not disarmed');
      cluster.etcdctl(['alarm', 'disarm']);
      assert.equal(await put('/quota/after', Buffer.from('x')), 'done');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const text = readFileSync(member?.logFile as string, 'utf8');
      const result = await runCli(['logs', member?.logFile as string, '-o', 'json']);
      assert.equal(result.code, 1, `${version} ${format}: NOSPACE is critical`);
      const [source] = (JSON.parse(result.stdout) as LogsReport).sources;
      // 3.4 with --logger=zap still writes a few lines in capnslog text (/health's): a mixed log.
      const textLines = text.split('\n').some((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [A-Z] \| /.test(l));
      assert.equal(source?.format, textLines && format !== 'text' ? 'mixed' : format, `${version} ${format}`);
      for (const kind of KINDS) assert.equal(source?.events[kind]?.count, worded(text, kind) || undefined, `${version} ${format}: ${kind}`);
      for (const kind of ['leader-elected', 'compaction', 'defrag', 'nospace'] as const) assert.ok((source?.events[kind]?.count ?? 0) > 0, `${version} ${format}: ${kind}`);
    } finally {
      await cluster.dispose();
    }
  }
});
