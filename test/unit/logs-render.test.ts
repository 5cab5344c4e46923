// What `logs` and the report say of counts zap's sampling made lower bounds, on real logs (test/fixtures/logs): the
// text table marks them "≥" and says "at least", the findings say "at least", the HTML report says so beside the
// timeline; exact counts stay plain.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyseLogs } from '../../shared/analyse/logs.ts';
import { buildReport } from '../../shared/analyse/report.ts';
import { parseLogSource } from '../../shared/collect/etcd-log.ts';
import { renderHtmlReport } from '../../shared/render/html.ts';
import { renderLogsText } from '../../shared/render/logs-text.ts';
import { SAMPLED, worded } from './etcd-log-words.ts';
import { cluster, member } from './snapshots.ts';

const source = (name: string): { name: string; text: string } => ({ name, text: readFileSync(join(__dirname, '../fixtures/logs', name), 'utf8') });

test('text: the sampled count marked and said "at least", in the table and its finding; an exact count plain', () => {
  const sampled = SAMPLED[0] as string;
  const report = analyseLogs([source(sampled), source('etcd-3.4.23-capnslog.log')]);
  const slow = worded(source(sampled).text, 'slow-apply');
  const text = renderLogsText(report, 160);
  const rows = text.split('\n');
  assert.match(rows.find((r) => r.startsWith(sampled)) ?? '', new RegExp(` ≥${slow} `));
  assert.doesNotMatch(rows.find((r) => r.startsWith('etcd-3.4.23-capnslog.log')) ?? '', /≥/);
  assert.match(text, /≥ at least: zap sampled these lines/);
  assert.match(text, new RegExp(`${sampled}: at least ${slow} slow requests \\(over 100 ms\\)\\n {6}at least ${slow} \\(zap sampled them`));
  assert.equal(report.findings.filter((f) => f.title.includes('at least')).map((f) => f.id).join(), 'log-slow-apply');
  const exact = renderLogsText(analyseLogs([source('etcd-3.4.23-capnslog.log')]), 160);
  assert.doesNotMatch(exact, /≥|at least/);
});

test('HTML report: the lower bounds said beside the timeline, only when there are some', () => {
  const sampled = SAMPLED[1] as string;
  const html = renderHtmlReport(buildReport(cluster([member(0)], { logFiles: [parseLogSource(source(sampled))] })), { title: 't' });
  assert.match(html, new RegExp(`so these are lower bounds: slow request: at least ${worded(source(sampled).text, 'slow-apply')} in ${sampled.replace(/\./g, '\\.')}\\.`));
  const exact = renderHtmlReport(buildReport(cluster([member(0)], { logFiles: [parseLogSource(source('etcd-3.7.3-zap.log'))] })), { title: 't' });
  assert.doesNotMatch(exact, /lower bounds/);
});
