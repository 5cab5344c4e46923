import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../shared/report.ts';
import { renderHtmlReport } from '../../shared/render/html.ts';
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
