// The built plugin's exporter (`serve`) as a process of its own (or in a container, run by a command such as podman's),
// on a free loopback port: its URL, its log, a GET that returns status and body, its /metrics parsed, a stop that
// sends SIGTERM and returns the exit code; and the check that its metrics say what a report says.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { parsePrometheusText, type Sample } from '../../shared/collect/prometheus-text.ts';
import { freePorts } from '../../shared/demo/ports.ts';
import type { CheckReport } from '../../shared/entry/index.ts';
import { CLI } from './cli.ts';

export class ExporterProcess {
  private constructor(readonly url: string, readonly child: ChildProcess, private readonly log: string[]) {}

  /**
   * Starts `serve ARGS --listen 127.0.0.1:PORT` and waits until it listens (not until it is ready). `command` runs the
   * plugin: the built one by default, or e.g. `podman run ... IMAGE` (the container on the host's network).
   */
  static async start(args: string[], env: NodeJS.ProcessEnv = {}, command: string[] = [process.execPath, CLI]): Promise<ExporterProcess> {
    const [port] = await freePorts(1);
    const [program, ...before] = command as [string, ...string[]];
    const child = spawn(program, [...before, 'serve', ...args, '--listen', `127.0.0.1:${port}`], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const log: string[] = [];
    child.stderr?.on('data', (d: Buffer) => { log.push(d.toString()); });
    const exporter = new ExporterProcess(`http://127.0.0.1:${port}`, child, log);
    await exporter.until('it listens', async () => (await fetch(`${exporter.url}/healthz`)).ok, 30_000);
    return exporter;
  }

  get stderr(): string {
    return this.log.join('');
  }

  async get(path: string): Promise<{ status: number; type: string; body: string }> {
    const response = await fetch(`${this.url}${path}`);
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  }

  async metrics(): Promise<Sample[]> {
    const { status, body } = await this.get('/metrics');
    if (status !== 200) throw new Error(`/metrics: HTTP ${status}`);
    return parsePrometheusText(body);
  }

  /** Waits until `probe` holds (errors count as not yet). */
  async until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`serve exited (${this.child.exitCode}): ${this.stderr.slice(-800)}`);
      if (await probe().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`serve: timed out waiting until ${what}; its log: ${this.stderr.slice(-800)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The number of collections it has finished, from its own metrics. */
  async collections(): Promise<number> {
    return (await this.metrics()).find((s) => s.name === 'etcd_perf_collections_total')?.value ?? 0;
  }

  /** Waits for a collection that starts after this call, and returns its metrics. */
  async nextCollection(timeoutMs = 60_000): Promise<Sample[]> {
    const seen = await this.collections();
    await this.until('a collection ends', async () => (await this.collections()) >= seen + 2, timeoutMs);
    return this.metrics();
  }

  /** SIGTERM; the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    return exited;
  }
}

/** The value of one series (the first whose labels include `labels`), or undefined. */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** The findings of a report or of /metrics as "id severity member" lines, sorted; see metricsMatchReport. */
function findingLines(findings: ReadonlyArray<{ id: string; severity: string; category: string; member?: string }>): string[] {
  return findings.filter((f) => f.severity !== 'ok' && !(f.severity === 'info' && (f.category === 'disk' || f.category === 'network')))
    .map((f) => `${f.id} ${f.severity} ${f.member ?? ''}`).sort();
}

/**
 * Asserts that an exporter's metrics say what a check's report says: every member's sizes, quota, role and identity,
 * the verdict, and the same findings. Two idle windows differ only in the latency notes (info: a p99 from the few
 * fsyncs, commits or probes that fell in each short window), which are left out of the comparison. Sizes are equal
 * to the byte, unless `sizesWithin` allows a difference: a Kubernetes cluster's API server writes between the two reads.
 */
export function assertMetricsMatchReport(samples: readonly Sample[], report: CheckReport, sizesWithin = 0): void {
  const near = (actual: number | undefined, expected: number | null, what: string): void => {
    assert.ok(actual !== undefined && expected !== null && Math.abs(actual - expected) <= sizesWithin, `${what}: ${actual} against ${expected} (within ${sizesWithin})`);
  };
  for (const m of report.members) {
    const member = { member: m.name };
    near(valueOf(samples, 'etcd_perf_db_size_bytes', member), m.dbSize, `${m.name} DB size`);
    near(valueOf(samples, 'etcd_perf_db_size_in_use_bytes', member), m.dbSizeInUse, `${m.name} in use`);
    near(valueOf(samples, 'etcd_perf_db_freeable_bytes', member), m.freeableBytes, `${m.name} freeable`);
    const ratio = valueOf(samples, 'etcd_perf_db_fragmentation_ratio', member) ?? -1;
    const sizeRatio = (valueOf(samples, 'etcd_perf_db_freeable_bytes', member) ?? 0) / (valueOf(samples, 'etcd_perf_db_size_bytes', member) ?? 1);
    assert.ok(Math.abs(ratio - sizeRatio) < 1e-4, `${m.name}: the fragmentation ratio is its freeable share`);
    if (sizesWithin === 0) assert.ok(Math.abs(ratio - (m.fragmentationPercent ?? 0) / 100) < 1e-9, `${m.name} fragmentation`);
    assert.equal(valueOf(samples, 'etcd_perf_quota_bytes', member), m.quotaBytes ?? undefined, `${m.name} quota`);
    assert.equal(valueOf(samples, 'etcd_perf_member_is_leader', member), m.isLeader ? 1 : 0);
    assert.equal(valueOf(samples, 'etcd_perf_member_info', { ...member, id: m.id, version: m.version ?? '', role: m.role }), 1);
  }
  const fromMetrics = samples.filter((s) => s.name === 'etcd_perf_finding').map((s) => ({
    id: s.labels.id ?? '', severity: s.labels.severity ?? '', category: s.labels.category ?? '', member: s.labels.member || undefined,
  }));
  assert.deepEqual(findingLines(fromMetrics), findingLines(report.findings), 'the same findings, severities and members');
  assert.equal(valueOf(samples, 'etcd_perf_verdict', { status: report.verdict.status }), 1);
  assert.equal(valueOf(samples, 'etcd_perf_bottleneck', { bottleneck: report.verdict.bottleneck }), 1);
  assert.equal(valueOf(samples, 'etcd_perf_cluster_info', { cluster_id: report.cluster.id ?? '' }), 1);
  assert.equal(valueOf(samples, 'etcd_perf_up'), 1);
}
