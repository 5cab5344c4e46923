// A real Prometheus (Debian's package, scripts/ensure-prometheus.sh) on a free loopback port, scraping the given
// /metrics URLs every second under one job (each target with labels of its own, if given) and evaluating the given
// rule files, with its data in a temporary directory removed on stop().

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../shared/demo/ports.ts';

export class PrometheusServer {
  private constructor(readonly url: string, private readonly child: ChildProcess, private readonly dir: string, private log: string[]) {}

  static async start(options: { job: string; metricsUrls: string[]; labels?: Array<Record<string, string>>; rules?: string }): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-prometheus-'));
    const [port] = await freePorts(1);
    const targets = options.metricsUrls.map((u) => new URL(u));
    if (options.rules !== undefined) writeFileSync(join(dir, 'rules.yaml'), options.rules);
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      ...(options.rules !== undefined ? { rule_files: [join(dir, 'rules.yaml')] } : {}),
      scrape_configs: [{
        job_name: options.job,
        metrics_path: targets[0]?.pathname ?? '/metrics',
        scheme: targets[0]?.protocol.replace(':', '') ?? 'http',
        static_configs: targets.map((t, i) => ({ targets: [t.host], labels: options.labels?.[i] ?? {} })),
      }],
    };
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
    const log: string[] = [];
    const child = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => { log.push(d.toString()); });
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, dir, log);
    await server.until('ready', async () => (await fetch(`${server.url}/-/ready`)).ok);
    return server;
  }

  /** An instant query's result vector. */
  async query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const response = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
    const body = await response.json() as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`${promql}: ${body.error ?? response.status}`);
    return body.data.result;
  }

  /** GET of an API path (/api/v1/alerts, /api/v1/rules): its data. */
  async api<T>(path: string): Promise<T> {
    const body = await (await fetch(`${this.url}${path}`)).json() as { status: string; data: T };
    if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
    return body.data;
  }

  /** Waits until `probe` holds (errors count as not yet), at most `timeoutMs`. */
  async until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited (${this.child.exitCode}): ${this.log.join('').slice(-500)}`);
      if (await probe().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`prometheus: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
