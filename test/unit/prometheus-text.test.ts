import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MetricsParseError, parsePrometheusText } from '../../shared/collect/prometheus-text.ts';

const fixture = (name: string): string => readFileSync(join(__dirname, `../fixtures/${name}`), 'utf8');

test('parses a real etcd 3.4.23 /metrics page', () => {
  const samples = parsePrometheusText(fixture('metrics-etcd-3.4.23-after.txt'));
  const lines = fixture('metrics-etcd-3.4.23-after.txt').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  assert.equal(samples.length, lines.length);
  const version = samples.find((s) => s.name === 'etcd_server_version');
  assert.deepEqual(version?.labels, { server_version: '3.4.23' });
  const quota = samples.find((s) => s.name === 'etcd_server_quota_backend_bytes');
  assert.equal(quota?.value, 2147483648);
  const inf = samples.find((s) => s.name === 'etcd_disk_wal_fsync_duration_seconds_bucket' && s.labels.le === '+Inf');
  const count = samples.find((s) => s.name === 'etcd_disk_wal_fsync_duration_seconds_count');
  assert.equal(inf?.value, count?.value);
});

test('handles escapes, special values and timestamps', () => {
  const samples = parsePrometheusText('a{x="q\\"uote",y="new\\nline"} +Inf\nb NaN 1700000000000\nc{} -1.5e3\n');
  assert.deepEqual(samples[0], { name: 'a', labels: { x: 'q"uote', y: 'new\nline' }, value: Infinity });
  assert.ok(Number.isNaN(samples[1]?.value));
  assert.equal(samples[2]?.value, -1500);
});

test('garbage is rejected with the line number', () => {
  const cases = ['<html><body>hello</body></html>', 'metric_without_value', 'm{le="1" 2', 'm abc', 'm 1 2 3'];
  for (const text of cases) {
    assert.throws(() => parsePrometheusText(`# HELP ok\nok 1\n${text}\n`), (e: unknown) => e instanceof MetricsParseError && /^line 3: /.test(e.message), text);
  }
});

test('a prefix filter keeps only wanted series, and garbage is still caught', () => {
  const text = 'grpc_server_handled_total{grpc_code="OK",grpc_method="Range"} 5\netcd_server_has_leader 1\n  etcd_server_is_leader 0\n';
  assert.deepEqual(parsePrometheusText(text, ['etcd_server_']), [
    { name: 'etcd_server_has_leader', labels: {}, value: 1 },
    { name: 'etcd_server_is_leader', labels: {}, value: 0 },
  ]);
  assert.throws(() => parsePrometheusText('ok 1\n<html>\n', ['etcd_']), /^MetricsParseError: line 2: expected a metric name/);
  const all = parsePrometheusText(readFileSync(join(__dirname, '../fixtures/metrics-etcd-3.4.23-after.txt'), 'utf8'));
  const some = parsePrometheusText(readFileSync(join(__dirname, '../fixtures/metrics-etcd-3.4.23-after.txt'), 'utf8'), ['etcd_disk_wal_fsync_']);
  assert.deepEqual(some, all.filter((sample) => sample.name.startsWith('etcd_disk_wal_fsync_')));
});
