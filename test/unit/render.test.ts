// Golden files for every output format of `status` and `check`, committed under test/golden/. A missing one is a
// failure, never written here: after an intended change, regenerate them with
// UPDATE_GOLDEN=1 node --import tsx --test test/unit/render.test.ts, read the diff, and commit it.

import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildReport } from '../../shared/analyse/report.ts';
import { parsePrometheusText } from '../../shared/collect/prometheus-text.ts';
import { renderCheckText, renderStatusText } from '../../shared/render/check-text.ts';
import { ansi } from '../../shared/render/colour.ts';
import { renderExposition, renderProcessFamilies } from '../../shared/render/exposition.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderCheckMarkdown, renderStatusMarkdown } from '../../shared/render/markdown.ts';
import { MiB } from '../../shared/util/bytes.ts';
import { cluster, fastMetrics, member } from './snapshots.ts';

const report = buildReport(cluster([
  member(0, { dbSize: 294 * MiB + 12_345, dbSizeInUse: 12_345_344 }, { metrics: fastMetrics() }),
  member(1, { dbSize: 294 * MiB + 12_345, dbSizeInUse: 12_349_440 }),
  member(2, {}, { status: undefined, healthy: false, metrics: undefined, error: 'unreachable: connection refused' }),
]), { heartbeatMs: 100 });

function golden(name: string, actual: string): void {
  const path = join(__dirname, `../golden/${name}`);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  assert.ok(existsSync(path), `golden file ${path} is missing: run with UPDATE_GOLDEN=1, read it, commit it`);
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs from its golden file`);
}

test('status table fits 80 columns', () => {
  const text = renderStatusText(report, { width: 80 });
  golden('status-80.txt', text);
  for (const line of text.split('\n')) assert.ok(line.length <= 80, `too wide: ${line}`);
});

test('status table shows every column when wide', () => {
  const text = renderStatusText(report, { width: 200 });
  golden('status-wide.txt', text);
  assert.match(text, /8e9e05c52164694d/);
});

test('check text, plain and coloured', () => {
  const text = renderCheckText(report, { width: 80 });
  golden('check-80.txt', text);
  for (const line of text.split('\n')) assert.ok(line.length <= 80, `too wide: ${line}`);
  assert.doesNotMatch(text, /\u001b\[/);
  assert.match(renderCheckText(report, { width: 80, paint: ansi }), /\u001b\[31mCRIT/);
});

test('markdown', () => {
  golden('status.md', renderStatusMarkdown(report));
  golden('check.md', renderCheckMarkdown(report));
});

test('json and yaml carry the contract', () => {
  const json = renderData(report, 'json');
  golden('check.json', json);
  const parsed = JSON.parse(json);
  assert.deepEqual(Object.keys(parsed).sort(), ['cluster', 'collectedAt', 'findings', 'members', 'network', 'verdict', 'window']);
  assert.deepEqual(Object.keys(parsed.cluster).sort(), ['id', 'leaderId', 'memberCount', 'revision']);
  const m = parsed.members[0];
  for (const key of ['id', 'name', 'endpoint', 'version', 'healthy', 'error', 'isLeader', 'isLearner', 'dbSize', 'dbSizeInUse',
    'fragmentationPercent', 'quotaBytes', 'raftTerm', 'raftIndex', 'raftAppliedIndex', 'alarms', 'metrics']) {
    assert.ok(key in m, `member.${key} missing`);
  }
  for (const key of ['walFsyncP99Seconds', 'backendCommitP99Seconds', 'peerRttP99Seconds']) assert.ok(key in m.metrics, key);
  assert.equal(m.id, '8e9e05c52164694d');
  assert.ok(Number.isInteger(m.dbSize));
  assert.equal(parsed.members.filter((x: { isLeader: boolean }) => x.isLeader).length, 1);
  golden('check.yaml', renderData(report, 'yaml'));
});

test('exporter /metrics: the report as Prometheus text, the exporter\'s health, a maintenance record', () => {
  const health = { version: '0.1.0', collections: 7, errorsByCause: { refused: 7 }, lastDurationSeconds: 10.25, lastSuccess: true, lastSuccessTime: 1_764_000_000, intervalSeconds: 60 };
  const maintained = {
    ...report,
    lastMaintenance: {
      recorded: {
        startedAt: '2026-12-01T03:00:00.000Z', finishedAt: '2026-12-01T03:00:42.500Z', command: 'kubectl etcd-perf defrag', host: 'cp-1',
        outcome: 'done' as const, freedBytes: 600_000_000, defragmented: ['etcd-1', 'etcd-2'], compactedTo: null, problem: null,
      },
      error: null,
    },
  };
  const text = renderExposition(maintained, health);
  golden('metrics.txt', text);
  const samples = parsePrometheusText(text);
  const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  assert.equal(value('etcd_perf_verdict', { status: report.verdict.status }), 1);
  assert.equal(samples.filter((s) => s.name === 'etcd_perf_verdict').reduce((n, s) => n + s.value, 0), 1, 'one status at a time');
  assert.equal(samples.filter((s) => s.name === 'etcd_perf_finding').length, report.findings.filter((f) => f.severity !== 'ok').length);
  assert.equal(value('etcd_perf_member_up', { member: 'etcd-3' }), 0);
  assert.equal(value('etcd_perf_db_size_bytes', { member: 'etcd-3' }), undefined, 'unknown, so absent (never NaN)');
  assert.ok(samples.every((s) => Number.isFinite(s.value)));
  assert.equal(value('etcd_perf_last_maintenance_duration_seconds'), 42.5);
  assert.equal(value('etcd_perf_last_maintenance_timestamp_seconds'), Date.parse('2026-12-01T03:00:42.500Z') / 1000);
  // Before the first collection ends: the exporter's health alone, and down.
  const first = parsePrometheusText(renderExposition(null, { ...health, collections: 0, lastSuccess: null, lastSuccessTime: null, lastDurationSeconds: null }));
  assert.deepEqual([...new Set(first.map((s) => s.name))].sort(), ['etcd_perf_collection_errors_total', 'etcd_perf_collections_total', 'etcd_perf_exporter_info', 'etcd_perf_up']);
  assert.equal(first.find((s) => s.name === 'etcd_perf_up')?.value, 0);
  const own = parsePrometheusText(renderProcessFamilies({ residentBytes: 80e6, cpuSeconds: 1.5, startTimeSeconds: 1_764_000_000, heapUsedBytes: 20e6 }));
  assert.deepEqual(own.map((s) => [s.name, s.value]), [
    ['process_resident_memory_bytes', 80e6], ['process_cpu_seconds_total', 1.5], ['process_start_time_seconds', 1_764_000_000], ['nodejs_heap_size_used_bytes', 20e6],
  ]);
});
