// `report`: check as one self-contained HTML page, opened in headless Chromium: it renders with no network request
// and no console error, with its charts and findings (screenshot in test-artifacts/, looked at); and as Markdown.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { runCli } from '../harness/cli.ts';

const ARTIFACTS = join(__dirname, '../../test-artifacts');
let cluster: LocalCluster;

before(async () => {
  cluster = await LocalCluster.start({ size: 3 });
  await writeChurn(cluster, { rounds: 8 });
  await cluster.waitSettled();
});

after(async () => { await cluster?.dispose(); });

test('report -o html --out FILE: renders in headless Chromium with no network request and no console error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-report-'));
  const file = join(dir, 'report.html');
  const result = await runCli(['report', '--window', '2s', '--out', file, '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /wrote the HTML report to .*report\.html/);
  const html = readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?https?:/i, 'nothing fetched from anywhere');

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => { requests.push(request.url()); });
    page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text()); });
    page.on('pageerror', (error) => { problems.push(error.message); });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    assert.deepEqual(requests, [`file://${file}`], 'the page itself and nothing else');
    assert.deepEqual(problems, [], 'no console error, no CSP violation');
    // The charts: DB size against in use per member, latency against thresholds; the findings with recommendations.
    assert.equal(await page.locator('svg[aria-label="DB size and in-use size per member"] rect').count() >= 6, true, 'size and in use bars for each member');
    assert.ok(await page.locator('svg[aria-label="latency quantiles against thresholds"]').count() >= 1, 'the latency chart');
    const text = await page.locator('body').innerText();
    for (const member of cluster.members) assert.match(text, new RegExp(member.name));
    assert.match(text, /fragmented/, 'the churn\'s fragmentation finding');
    assert.match(text, /kubectl etcd-perf maintain/, 'its recommendation');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('report --deep --log: bytes by resource as the keyspace command counts them, and the log\'s timeline, in Chromium', async () => {
  const client = cluster.client();
  try {
    for (let i = 0; i < 20; i += 1) await client.put(`/registry/pods/default/web-${i}`).value(Buffer.alloc(1000, 'p')).exec();
    for (let i = 0; i < 40; i += 1) await client.put(`/registry/events/default/web-${i}.1`).value(Buffer.alloc(200, 'e')).exec();
    await client.put('/registry/configmaps/kube-system/big').value(Buffer.alloc(300_000, 'c')).exec();
  } finally {
    client.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-report-'));
  const file = join(dir, 'report.html');
  const log = join(__dirname, '../fixtures/logs/etcd-3.4.23-zap-member1.log');
  const result = await runCli(['report', '--deep', '--log', log, '--window', '1s', '--out', file, '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(result.code, 0, result.stderr);
  const [keyspace, logs] = await Promise.all([
    runCli(['keyspace', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]),
    runCli(['logs', log, '-o', 'json']),
  ]);
  const prefixes = (JSON.parse(keyspace.stdout) as { prefixes: Array<{ prefix: string; bytes: number }> }).prefixes;
  const timeline = (JSON.parse(logs.stdout) as { timeline: Array<Record<string, string | number>> }).timeline;

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text()); });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    assert.deepEqual(problems, []);
    // One bar per group (twelve at most, then "other"), largest first: the configmap's 300 KB on top.
    const labels = await page.locator('svg[aria-label="bytes by resource"] g.bar > text:first-child title').allTextContents();
    const expected = [...prefixes].sort((a, b) => b.bytes - a.bytes).map((p) => p.prefix);
    assert.deepEqual(labels, expected.length > 12 ? [...expected.slice(0, 12), `other (${expected.length - 12} prefixes)`] : expected);
    assert.equal(labels[0], '/registry/configmaps/');
    // The timeline's bars carry the logs command's per-minute counts: same total.
    const titles = await page.locator('svg[aria-label="signs of trouble in the logs over time"] rect.event title').allTextContents();
    const drawn = titles.reduce((n, t) => n + Number(/: (\d+) /.exec(t)?.[1]), 0);
    const counted = timeline.reduce((n, { minute: _minute, ...counts }) => n + Object.values(counts).reduce((a: number, b) => a + Number(b), 0), 0);
    assert.equal(drawn, counted);
    assert.ok(counted > 5, `${counted} events in the fixture`);
    const text = await page.locator('body').innerText();
    assert.match(text, /Slowest requests/);
    assert.match(text, /etcd-3\.4\.23-zap-member1\.log: 1 slow WAL syncs/, 'the log file\'s findings among the findings');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-deep.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('report -o markdown prints Markdown to stdout; a bad format is one line', async () => {
  const result = await runCli(['report', '-o', 'markdown', '--window', '0', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^## etcd cluster [0-9a-f]+$/m);
  assert.match(result.stdout, /^\| MEMBER \| ENDPOINT \|/m);
  assert.match(result.stdout, /^### Findings/m);
  const bad = await runCli(['report', '-o', 'pdf', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'error: -o/--output: unknown report format "pdf" (choose html or markdown)\n');
  const missing = await runCli(['report', '--log', '/nonexistent/etcd.log', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'error: /nonexistent/etcd.log: no such file\n');
  const withLog = await runCli(['report', '-o', 'markdown', '--window', '0', '--log', join(__dirname, '../fixtures/logs/etcd-3.4.23-capnslog-member2.log'), '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(withLog.code, 0, withLog.stderr);
  assert.match(withLog.stdout, /^### Slow events in the logs$/m);
  assert.match(withLog.stdout, /^\| [^|]*etcd-3\.4\.23-capnslog-member2\.log \| 111 \|/m);
});
