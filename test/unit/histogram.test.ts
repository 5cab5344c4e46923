import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extractHistogram, histogramDelta, histogramQuantile, type Histogram } from '../../shared/collect/histogram.ts';
import { parsePrometheusText } from '../../shared/collect/prometheus-text.ts';

const load = (name: string) => parsePrometheusText(readFileSync(join(__dirname, `../fixtures/${name}`), 'utf8'));

function histogram(bounds: number[], cumulative: number[]): Histogram {
  const buckets = [...bounds, Infinity].map((le, i) => ({ le, count: cumulative[i] as number }));
  return { buckets, count: cumulative[cumulative.length - 1] as number, sum: 0 };
}

test('quantile interpolates inside the bucket holding the rank, as histogram_quantile does', () => {
  // 100 observations: 50 <= 1ms, 40 in (1,2]ms, 9 in (2,4]ms, 1 in (4,8]ms.
  const h = histogram([0.001, 0.002, 0.004, 0.008], [50, 90, 99, 100, 100]);
  const p50 = histogramQuantile(0.5, h);
  assert.equal(p50?.value, 0.001);
  assert.deepEqual([p50?.bucketLower, p50?.bucketUpper], [0, 0.001]);
  const p90 = histogramQuantile(0.9, h);
  assert.ok(Math.abs((p90?.value ?? 0) - 0.002) < 1e-12);
  const p99 = histogramQuantile(0.99, h);
  assert.ok(Math.abs((p99?.value ?? 0) - 0.004) < 1e-12);
  assert.deepEqual([p99?.bucketLower, p99?.bucketUpper, p99?.samples], [0.002, 0.004, 100]);
  const p995 = histogramQuantile(0.995, h);
  assert.ok(Math.abs((p995?.value ?? 0) - 0.006) < 1e-12, String(p995?.value));
});

test('a quantile in the +Inf bucket reports the highest finite bound; no data gives nothing', () => {
  const h = histogram([0.001, 0.002], [1, 1, 10]);
  assert.deepEqual(histogramQuantile(0.99, h), { q: 0.99, value: 0.002, bucketLower: 0.002, bucketUpper: Infinity, samples: 10 });
  assert.equal(histogramQuantile(0.99, histogram([0.001], [0, 0])), undefined);
  assert.equal(histogramQuantile(0.99, undefined), undefined);
});

test('deltas describe only the window: old slowness does not leak into now', () => {
  // Lifetime: 100 slow observations in (0.5,1]s long ago. Window: 1,000 fast ones <= 1 ms.
  const before = histogram([0.001, 0.5, 1], [0, 0, 100, 100]);
  const after = histogram([0.001, 0.5, 1], [1000, 1000, 1100, 1100]);
  const lifetime = histogramQuantile(0.99, after);
  const now = histogramQuantile(0.99, histogramDelta(before, after));
  assert.ok((lifetime?.value ?? 0) > 0.5);
  assert.ok((now?.value ?? 1) <= 0.001);
  assert.equal(now?.samples, 1000);
});

test('a counter reset (member restarted in the window) uses the later histogram alone', () => {
  const before = histogram([0.001], [500, 500]);
  const after = histogram([0.001], [20, 30]);
  assert.deepEqual(histogramDelta(before, after), after);
});

test('deltas between two real scrapes match the counters', () => {
  const before = extractHistogram(load('metrics-etcd-3.4.23-before.txt'), 'etcd_disk_wal_fsync_duration_seconds');
  const after = extractHistogram(load('metrics-etcd-3.4.23-after.txt'), 'etcd_disk_wal_fsync_duration_seconds');
  assert.ok(before && after);
  const delta = histogramDelta(before, after);
  assert.equal(delta.count, after.count - before.count);
  assert.ok(delta.count > 0);
  assert.equal(delta.buckets[delta.buckets.length - 1]?.count, delta.count);
  const q = histogramQuantile(0.99, delta);
  assert.ok(q && q.value > q.bucketLower && q.value <= q.bucketUpper);
});
