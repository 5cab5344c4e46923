import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../shared/report.ts';
import { renderHtmlReport } from '../../shared/render/html.ts';
import { cluster, member } from './snapshots.ts';

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
