// The real kubeadm cluster the Kubernetes tests run against (test/kubeadm): the one scripts/test.sh started for them
// (ETCD_PERF_KUBEADM=DIR, ready when DIR/cluster.json exists), or, when a test file runs alone, one of its
// own, started here and removed by stop().

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClusterInfo, KubeadmNode } from '../kubeadm/cluster.ts';

const MAIN = resolve(__dirname, '../kubeadm/main.ts');
/** Building Kubernetes and its images on a fresh machine takes about 16 minutes; bringing the cluster up about 90 s. */
const READY_WITHIN_MS = 30 * 60_000;

export type { ClusterInfo, KubeadmNode };

export class KubeadmSandbox {
  private constructor(readonly info: ClusterInfo, private readonly child: ChildProcess | undefined, private readonly dir: string) {}

  get kubeconfig(): string {
    return this.info.kubeconfig;
  }

  /** A kubeconfig whose user RBAC forbids pods/exec and pods/portforward. */
  get viewerKubeconfig(): string {
    return this.info.viewerKubeconfig;
  }

  /** The release's own kubectl. */
  get kubectl(): string {
    return join(this.info.kubernetesBin, 'kubectl');
  }

  static async start(): Promise<KubeadmSandbox> {
    const shared = process.env.ETCD_PERF_KUBEADM;
    if (shared) {
      // scripts/test.sh starts it in the background and says why it failed in DIR.log.
      const deadline = Date.now() + READY_WITHIN_MS;
      while (!existsSync(join(shared, 'cluster.json'))) {
        const log = existsSync(`${shared}.log`) ? readFileSync(`${shared}.log`, 'utf8') : '';
        if (/^k8s:sandbox: /m.test(log)) throw new Error(`the kubeadm cluster did not come up: ${log}`);
        if (Date.now() > deadline) throw new Error(`the kubeadm cluster in ${shared} was not ready within ${READY_WITHIN_MS / 60_000} min: ${log}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      return new KubeadmSandbox(JSON.parse(readFileSync(join(shared, 'cluster.json'), 'utf8')) as ClusterInfo, undefined, shared);
    }
    const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-kubeadm-test-'));
    rmSync(dir, { recursive: true });
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--dir', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => { stderr += chunk; });
    const deadline = Date.now() + READY_WITHIN_MS;
    while (!existsSync(join(dir, 'cluster.json'))) {
      if (child.exitCode !== null) throw new Error(`the kubeadm cluster exited ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`the kubeadm cluster was not ready within ${READY_WITHIN_MS / 60_000} min: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return new KubeadmSandbox(JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as ClusterInfo, child, dir);
  }

  /** The direct-connection flags for the members, with kubeadm's etcd healthcheck-client certificate. */
  directFlags(): string[] {
    const [first] = this.info.nodes;
    if (!first) throw new Error('the cluster has no nodes');
    return ['--endpoints', this.info.nodes.map((n) => n.clientUrl).join(','), '--cacert', first.pki.ca, '--cert', first.pki.cert, '--key', first.pki.key];
  }

  /** Stops the cluster this file started (a shared one is scripts/test.sh's to stop). */
  async stop(): Promise<void> {
    const { child } = this;
    if (!child) return;
    if (child.exitCode === null) {
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
