// The built plugin's exporter (`serve`) as a process of its own, on a free loopback port: its URL, its log, a GET
// that returns status and body, its /metrics parsed, and a stop that sends SIGTERM and returns the exit code.

import { spawn, type ChildProcess } from 'node:child_process';
import { parsePrometheusText, type Sample } from '../../shared/collect/prometheus-text.ts';
import { freePorts } from '../../shared/demo/ports.ts';
import { CLI } from './cli.ts';

export class ExporterProcess {
  private constructor(readonly url: string, readonly child: ChildProcess, private readonly log: string[]) {}

  /** Starts `serve ARGS --listen 127.0.0.1:PORT` and waits until it listens (not until it is ready). */
  static async start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ExporterProcess> {
    const [port] = await freePorts(1);
    const child = spawn(process.execPath, [CLI, 'serve', ...args, '--listen', `127.0.0.1:${port}`], {
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
