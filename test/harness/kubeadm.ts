// The real kubeadm cluster the Kubernetes tests run against (test/kubeadm): the one scripts/test.sh started for them
// (ETCD_PERF_KUBEADM=DIR, ready when DIR/cluster.json exists), or, when a test file runs alone, one of its
// own, started here and removed by stop().

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Etcd3 } from 'etcd3';
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

  /** A kubeconfig whose only user, viewer, RBAC forbids pods/exec and pods/portforward (also context viewer@etcd-perf of `kubeconfig`). */
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

  /**
   * What the API servers were asked since `mark` (from `mark()`), as "verb /path" (query left off), from their audit
   * logs: the requests of the admin and viewer users, each once (a long-running request logs two stages).
   */
  async requestsSince(mark: number[]): Promise<string[]> {
    // The audit log is written as each request completes: give the last one a moment.
    await new Promise((r) => setTimeout(r, 500));
    const seen = new Set<string>();
    const requests: string[] = [];
    this.info.nodes.forEach((node, i) => {
      if (!existsSync(node.auditLog)) return;
      for (const line of readFileSync(node.auditLog, 'utf8').split('\n').slice(mark[i] ?? 0)) {
        if (!line) continue;
        const event = JSON.parse(line) as { auditID: string; verb: string; requestURI: string };
        if (seen.has(event.auditID)) continue;
        seen.add(event.auditID);
        requests.push(`${event.verb} ${event.requestURI.split('?')[0]}`);
      }
    });
    return requests;
  }

  /** Where each node's audit log ends now (for requestsSince). */
  mark(): number[] {
    return this.info.nodes.map((node) => (existsSync(node.auditLog) ? readFileSync(node.auditLog, 'utf8').split('\n').length - 1 : 0));
  }

  /** The host pid of a node's etcd process (the container's main process, seen from the host). */
  etcdPid(node: KubeadmNode): number {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (argv[0] === 'etcd' && argv.includes(`--name=${node.name}`) && argv.includes(`--advertise-client-urls=${node.clientUrl}`)) return Number(entry);
      } catch { /* gone meanwhile */ }
    }
    throw new Error(`no etcd process of ${node.name} on this machine`);
  }

  /** Waits until every etcd pod is Running and ready again (after a test restarted one), up to `withinMs`. */
  async etcdPodsReady(withinMs = 120_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const out = spawnSync(this.kubectl, ['--kubeconfig', this.kubeconfig, 'get', 'pods', '-n', 'kube-system', '-l', 'component=etcd', '-o',
        'jsonpath={range .items[*]}{.status.phase}/{.status.containerStatuses[0].ready}{"\\n"}{end}'], { encoding: 'utf8' }).stdout ?? '';
      const rows = out.split('\n').filter(Boolean);
      if (rows.length === this.info.nodes.length && rows.every((r) => r === 'Running/true')) return;
      if (Date.now() > deadline) throw new Error(`etcd pods not all ready within ${withinMs / 1000} s: ${rows.join(', ')}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** The release's `kubectl port-forward` to a pod's port: the local port it listens on, and how to stop it. */
  async portForward(pod: string, remotePort: number): Promise<{ port: number; stop(): void }> {
    const forward = spawn(this.kubectl, ['--kubeconfig', this.kubeconfig, 'port-forward', '-n', 'kube-system', `pod/${pod}`, `:${remotePort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      let said = '';
      forward.stdout?.on('data', (c: Buffer) => {
        said += c.toString();
        const m = new RegExp(`Forwarding from 127\\.0\\.0\\.1:(\\d+) -> ${remotePort}`).exec(said);
        if (m) resolve(Number(m[1]));
      });
      forward.on('exit', (code) => reject(new Error(`kubectl port-forward exited ${code}: ${said}`)));
    });
    return { port, stop: () => { forward.kill('SIGTERM'); } };
  }

  /** A client of every member, direct, with kubeadm's etcd healthcheck-client certificate (the caller closes it). */
  etcdClient(): Etcd3 {
    const [first] = this.info.nodes;
    if (!first) throw new Error('the cluster has no nodes');
    return new Etcd3({
      hosts: this.info.nodes.map((n) => n.clientUrl),
      credentials: { rootCertificate: readFileSync(first.pki.ca), certChain: readFileSync(first.pki.cert), privateKey: readFileSync(first.pki.key) },
    });
  }

  /**
   * History worth compacting and defragmenting under `prefix`, a test's own (keys under /registry are the API
   * server's: it could not decode ours): 150 keys of 64 KiB, written three times over.
   */
  async writeHistory(prefix: string): Promise<void> {
    const client = this.etcdClient();
    try {
      const value = 'x'.repeat(64 * 1024);
      for (let round = 0; round < 3; round += 1) {
        await Promise.all(Array.from({ length: 150 }, (_, i) => client.put(`${prefix}${i}`).value(`${round}${value}`)));
      }
    } finally {
      client.close();
    }
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
