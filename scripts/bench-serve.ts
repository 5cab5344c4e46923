// npm run bench:serve — what the exporter costs over a soak. A 3-member cluster under a light steady writer (20 puts/s);
// the built plugin's `serve` reads it every BENCH_INTERVAL (default 15s, window 5s: four times the default rate of
// collections, so an hour holds as many as four); one member is killed and restarted every BENCH_RESTART_EVERY
// (default 5m), down for 20 s. All along, every 10 s: the exporter's RSS and CPU (from /proc), and a scrape of its
// /metrics and of a member's own /metrics (etcd's Go exporter: the reference, scraped by the same client in the same
// run). Printed: RSS (and the V8 heap, from its own metrics) after settling and at the end, and their slopes; CPU in
// cores; scrape p50/p99 of each and their ratio; collections and errors. Goals: RSS flat (slope under 5 MB/h after the
// first 10 minutes), scrape p99 under 50 ms.
// BENCH_DURATION (default 1h; 10m with CI=true).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePrometheusText } from '../shared/collect/prometheus-text.ts';
import { LocalCluster } from '../shared/demo/local-cluster.ts';
import { freePorts } from '../shared/demo/ports.ts';
import { parseDuration } from '../shared/util/duration.ts';

const CLI = join(__dirname, '../dist/kubectl-etcd_perf.js');
const DURATION_MS = parseDuration(process.env.BENCH_DURATION ?? (process.env.CI ? '10m' : '1h'), 'duration');
const INTERVAL = process.env.BENCH_INTERVAL ?? '15s';
const RESTART_EVERY_MS = parseDuration(process.env.BENCH_RESTART_EVERY ?? '5m', 'duration');
const SAMPLE_MS = 10_000;
const CLOCK_TICK = 100; // USER_HZ: /proc/PID/stat counts CPU time in these.

interface Sample { atMs: number; rssBytes: number; cpuSeconds: number; heapBytes?: number }

function processSample(pid: number, atMs: number): Sample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICK;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { atMs, rssBytes: Number(rss?.[1] ?? 0) * 1024, cpuSeconds };
}

let lastBody = '';

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  lastBody = await response.text();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return performance.now() - started;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Least-squares slope of a figure over time, per hour. */
function slopePerHour(samples: Sample[], figure: (s: Sample) => number = (s) => s.rssBytes): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((s, x) => s + x.atMs, 0) / n;
  const my = samples.reduce((s, x) => s + figure(x), 0) / n;
  const num = samples.reduce((s, x) => s + (x.atMs - mx) * (figure(x) - my), 0);
  const den = samples.reduce((s, x) => s + (x.atMs - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 3_600_000;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

async function main(): Promise<void> {
  const cluster = await LocalCluster.start({ size: 3 });
  const writer = cluster.client();
  let writing = true;
  const writes = (async () => {
    for (let i = 0; writing; i += 1) {
      await writer.put(`/soak/${i % 1000}`).value('x'.repeat(512)).catch(() => undefined);
      await sleep(50);
    }
  })();
  const [port] = await freePorts(1);
  const exporter = spawn(process.execPath, [CLI, 'serve', '--endpoints', cluster.endpoints.join(','), '--interval', INTERVAL, '--window', '5s',
    '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  exporter.stderr.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  const memberMetrics = `${cluster.members[0]?.clientUrl}/metrics`;
  try {
    for (let i = 0; i < 100 && !(await fetch(`${url}/readyz`).then((r) => r.ok, () => false)); i += 1) await sleep(500);
    process.stderr.write(`soak: ${DURATION_MS / 60_000} min, a collection every ${INTERVAL}, a member restarted every ${RESTART_EVERY_MS / 60_000} min\n`);
    const pid = exporter.pid as number;
    const started = Date.now();
    const samples: Sample[] = [];
    const ours: number[] = [];
    const etcds: number[] = [];
    let nextRestart = started + RESTART_EVERY_MS;
    let restarts = 0;
    while (Date.now() - started < DURATION_MS) {
      if (exporter.exitCode !== null) throw new Error(`serve exited (${exporter.exitCode}): ${log}`);
      samples.push(processSample(pid, Date.now() - started));
      // Alternate who goes first, so neither always meets a cold connection or the other's load.
      const scrapeOurs = async (): Promise<void> => {
        ours.push(await timedGet(`${url}/metrics`));
        (samples.at(-1) as Sample).heapBytes = parsePrometheusText(lastBody).find((x) => x.name === 'nodejs_heap_size_used_bytes')?.value;
      };
      if (samples.length % 2) {
        await scrapeOurs();
        etcds.push(await timedGet(memberMetrics));
      } else {
        etcds.push(await timedGet(memberMetrics));
        await scrapeOurs();
      }
      if (Date.now() >= nextRestart) {
        cluster.kill(2);
        await sleep(20_000);
        await cluster.restart(2);
        restarts += 1;
        nextRestart += RESTART_EVERY_MS;
        process.stderr.write(`  ${Math.round((Date.now() - started) / 60_000)} min: member 3 killed and restarted (${restarts}); RSS ${mb(samples.at(-1)?.rssBytes ?? 0)}\n`);
      }
      await sleep(SAMPLE_MS);
    }
    const metrics = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
    const value = (name: string): number => metrics.filter((s) => s.name === name).reduce((n, s) => n + s.value, 0);
    // Past the first 10 minutes (or the first third of a short soak): caches and code filled, what remains is growth.
    const settleMs = Math.min(600_000, DURATION_MS / 3);
    const settled = samples.filter((s) => s.atMs >= settleMs);
    const first = settled[0] as Sample;
    const last = samples.at(-1) as Sample;
    const cores = (last.cpuSeconds - (samples[0] as Sample).cpuSeconds) / ((last.atMs - (samples[0] as Sample).atMs) / 1000);
    const p = (values: number[], q: number): string => `${quantile(values, q).toFixed(2)} ms`;
    const rows: Array<[string, string]> = [
      ['soak', `${(last.atMs / 60_000).toFixed(1)} min, ${value('etcd_perf_collections_total')} collections (every ${INTERVAL}), ${restarts} member restarts`],
      ['collection errors', `${value('etcd_perf_collection_errors_total')} (a restarted member's refused reads)`],
      ['RSS after settling / at the end / max', `${mb(first.rssBytes)} / ${mb(last.rssBytes)} / ${mb(Math.max(...samples.map((s) => s.rssBytes)))}`],
      ['RSS slope after settling', `${(slopePerHour(settled) / 1e6).toFixed(2)} MB/h (goal < 5 MB/h)`],
      ['V8 heap used after settling / at the end', `${mb(first.heapBytes ?? 0)} / ${mb(last.heapBytes ?? 0)}, slope ${(slopePerHour(settled, (x) => x.heapBytes ?? 0) / 1e6).toFixed(2)} MB/h`],
      ['CPU', `${cores.toFixed(4)} cores on average`],
      ['scrape p50 ours / etcd\'s /metrics', `${p(ours, 0.5)} / ${p(etcds, 0.5)}`],
      ['scrape p99 ours / etcd\'s /metrics', `${p(ours, 0.99)} / ${p(etcds, 0.99)}, ${(quantile(ours, 0.99) / quantile(etcds, 0.99)).toFixed(2)}x (goal < 50 ms)`],
      ['scrape bytes ours / etcd\'s', `${(await (await fetch(`${url}/metrics`)).text()).length} / ${(await (await fetch(memberMetrics)).text()).length}`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
  } finally {
    writing = false;
    await writes;
    writer.close();
    exporter.kill('SIGTERM');
    await cluster.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:serve: ${(error as Error).message}\n`);
  process.exit(1);
});
