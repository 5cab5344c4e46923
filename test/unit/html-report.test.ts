import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../shared/analyse/report.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogSource } from '../../shared/collect/etcd-log.ts';
import { KeyspaceTally } from '../../shared/collect/keyspace.ts';
import { renderHtmlReport } from '../../shared/render/html.ts';
import { timelineColumns } from '../../shared/render/html-sections.ts';
import { cluster, member, quantile, realMetrics } from './snapshots.ts';

test('the HTML report is self-contained: no script, no external URL, escaped text, CSP with the nonce', () => {
  const snapshot = cluster([member(0), member(1, {}, { status: undefined, healthy: false, metrics: undefined, error: '<script>alert(1)</script>' })]);
  const html = renderHtmlReport(buildReport(snapshot), { title: 'etcd <check>', nonce: 'abc123' });
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//i);
  assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-abc123'">/);
  assert.match(html, /<style nonce="abc123">/);
  assert.equal((html.match(/<svg /g) ?? []).length, 2, 'size and latency charts');
  assert.match(html, /<title>etcd &#60;check&#62;<\/title>/);
});

test('a latency from before the window is drawn as history, not as a warning; one inside the window above its threshold warns', () => {
  const real = realMetrics();
  const slowThen = { ...real, quantiles: { ...real.quantiles, walFsync: quantile(0.04, true) } };
  const slowNow = { ...real, quantiles: { ...real.quantiles, walFsync: quantile(0.04, false) } };
  const html = renderHtmlReport(buildReport(cluster([member(0, {}, { metrics: slowThen }), member(1, {}, { metrics: slowNow })])), { title: 't' });
  const bars = [...html.matchAll(/<rect x="110" y="\d+" width="[\d.]+" height="16" fill="(#[0-9a-f]+)"><\/rect><text [^>]*>([^<]*)<\/text>/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(bars.slice(0, 2), [['#1565c0', '40 ms (before the window)'], ['#ef6c00', '40 ms']]);
});

test('the timeline: contiguous columns from the first to the last minute, wider steps past 90 columns, nothing lost', () => {
  const short = timelineColumns([{ minute: '2026-11-24T09:09', 'slow-apply': 2 }, { minute: '2026-11-24T09:12', 'leader-lost': 1, 'slow-apply': 3 }]);
  assert.equal(short.stepMinutes, 1);
  assert.deepEqual(short.columns.map((c) => [c.start, c.total]), [['2026-11-24T09:09', 2], ['2026-11-24T09:10', 0], ['2026-11-24T09:11', 0], ['2026-11-24T09:12', 4]]);
  assert.deepEqual(short.columns[3]?.counts, { 'leader-lost': 1, 'slow-apply': 3 });
  // Five hours across midnight: 300 minutes need 5-minute columns (60 of them); the counts add up to the input's.
  const minutes = Array.from({ length: 300 }, (_, i) => ({ minute: new Date(Date.parse('2026-11-23T22:00:00Z') + i * 60_000).toISOString().slice(0, 16), 'slow-fdatasync': 1 + (i % 3) }));
  const long = timelineColumns(minutes);
  assert.equal(long.stepMinutes, 5);
  assert.equal(long.columns.length, 60);
  assert.equal(long.columns[24]?.start, '2026-11-24T00:00');
  assert.equal(long.columns.reduce((n, c) => n + c.total, 0), minutes.reduce((n, m) => n + m['slow-fdatasync'], 0));
  assert.deepEqual(timelineColumns([]), { stepMinutes: 1, columns: [] });
});

test('with --deep and --log the page gains bytes by resource (the rest summed as "other") and the timeline, text escaped', () => {
  const tally = new KeyspaceTally({ depth: 2, byNamespace: false, top: 3 });
  for (let i = 0; i < 15; i += 1) tally.add(`/registry/kind${i}/ns/name`, 1000 * (i + 1), 1, false);
  tally.add('/registry/configmaps/ns/<b>', 300_000, 1, false);
  const keyspace = {
    totalKeys: tally.totalKeys, totalBytes: tally.totalBytes, revision: 9, prefix: '/', endpoint: 'e', serializable: true, keysOnly: false,
    prefixes: tally.prefixes(), largestKeys: tally.largestKeys(), mostRewritten: tally.mostRewritten(), pages: 1, lookaheadPages: 0, durationSeconds: 0, partial: false, resumeAfter: null,
  };
  const log = parseLogSource({ name: 'member1.log', text: readFileSync(join(__dirname, '../fixtures/logs/etcd-3.4.23-zap-member1.log'), 'utf8') });
  const report = buildReport(cluster([member(0)], { keyspace, logFiles: [log] }));
  const html = renderHtmlReport(report, { title: 't' });
  const bars = [...html.matchAll(/<g class="bar"><text [^>]*>([^<]*)<title>/g)].map((m) => m[1]);
  assert.equal(bars.length, 13, 'twelve groups and "other"');
  assert.equal(bars[0], '/registry/configmaps/');
  assert.equal(bars[12], 'other (4 prefixes)');
  assert.match(html, /<td class="key">\/registry\/configmaps\/ns\/&#60;b&#62;<\/td>/);
  // The timeline's rectangles, each titled with its count, add up to the fixture's events; the findings came along.
  const counted = [...html.matchAll(/<rect class="event ([a-z-]+)"[^>]*><title>[^<]*: (\d+) [^<]*<\/title>/g)].reduce((n, m) => n + Number(m[2]), 0);
  assert.equal(counted, log.events.filter((e) => e.time).length);
  assert.ok(counted > 5);
  assert.equal(report.logs?.sources[0]?.name, 'member1.log');
  assert.ok(report.findings.some((f) => f.id === 'log-slow-fdatasync' && f.member === 'member1.log'));
  assert.match(html, /<h3>Slowest requests<\/h3>/);
  assert.doesNotMatch(html, /<script/i);
  // Without either, neither section.
  const plain = renderHtmlReport(buildReport(cluster([member(0)])), { title: 't' });
  assert.doesNotMatch(plain, /What fills etcd|Slow events in the logs/);
});
