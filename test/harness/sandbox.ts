// Starts `npm run k8s:sandbox` as tests use it: a child process, ready when its kubeconfig appears; stopped with SIGTERM.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface SandboxNodeInfo {
  name: string;
  ip: string;
  root: string;
  pod: string;
  pid: number;
  clientUrl: string;
  metricsUrl: string;
  pki: { ca: string; cert: string; key: string };
  manifest: string;
}

export interface SandboxInfo {
  server: string;
  nodes: SandboxNodeInfo[];
}

const MAIN = resolve(__dirname, '../sandbox/main.ts');

export class Sandbox {
  private constructor(readonly kubeconfig: string, readonly info: SandboxInfo, private readonly child: ChildProcess, private readonly dir: string) {}

  static async start(args: string[] = []): Promise<Sandbox> {
    const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-sandbox-test-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--kubeconfig', kubeconfig, '--dir', join(dir, 'cluster'), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => { stderr += chunk; });
    const deadline = Date.now() + 90_000;
    while (!existsSync(kubeconfig)) {
      if (child.exitCode !== null) throw new Error(`sandbox exited ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`sandbox not ready within 90 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const info = JSON.parse(readFileSync(join(dir, 'cluster', 'sandbox.json'), 'utf8')) as SandboxInfo;
    return new Sandbox(kubeconfig, info, child, dir);
  }

  /** The requests the API server has received so far, as "METHOD /path". */
  requests(): string[] {
    const file = join(this.dir, 'cluster', 'requests.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** The direct-connection flags for one node, with the apiserver-etcd-client certificate (what a direct check would use). */
  directFlags(): string[] {
    const [first] = this.info.nodes;
    if (!first) throw new Error('sandbox has no nodes');
    return ['--endpoints', this.info.nodes.map((n) => n.clientUrl).join(','), '--cacert', first.pki.ca, '--cert', first.pki.cert, '--key', first.pki.key];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      await new Promise<void>((done) => {
        this.child.once('exit', () => done());
        this.child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
