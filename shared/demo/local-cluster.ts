// A real etcd cluster on loopback for the demo (CLI and VS Code), integration tests and benchmarks: N members of the etcd binary,
// optionally with TLS and client-certificate auth, user auth, separate metrics listeners and a small quota.
// Every process and file it makes is removed by dispose(), also on Ctrl-C and process exit.

import { execFile, spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, openSync, rmSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { freePorts } from './ports.ts';
import { makePki, type Pki } from './certs.ts';
import type { ConnectionFlags } from '../connect/options.ts';

const execFileAsync = promisify(execFile);

export interface ClusterSpec {
  size?: number;
  tls?: boolean;
  /** Enable etcd auth with user root and this password. */
  rootPassword?: string;
  /** Serve /metrics on a separate plain-HTTP port, as kubeadm does. */
  separateMetrics?: boolean;
  quotaBackendBytes?: number;
  extraFlags?: string[];
  /** The etcd binary to run (default: ETCD_BIN, else etcd on PATH). */
  etcdBinary?: string;
  /** Remove the cluster on Ctrl-C and process exit (the demo and tests). Off inside a host such as VS Code's. */
  exitHooks?: boolean;
}

export interface LocalMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  metricsUrl: string;
  dataDir: string;
  logFile: string;
  process?: ChildProcess;
  launchError?: Error;
}

const live = new Set<LocalCluster>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => { for (const cluster of live) cluster.disposeSync(); });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const cluster of live) cluster.disposeSync();
      process.exit(130);
    });
  }
}

/**
 * The environment a member starts with: ours without ETCD_* variables, which etcd reads as flags (ETCD_VERSION, the
 * version a test run asks for, would be --version to etcd 3.4; a user's ETCD_DATA_DIR would override ours).
 */
function memberEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ETCD_')));
}

export function etcdBinary(): string {
  return process.env.ETCD_BIN ?? 'etcd';
}

export class LocalCluster {
  readonly members: LocalMember[];
  readonly pki?: Pki;
  readonly spec: ClusterSpec;
  /** Where the members' data, logs and certificates live; removed by dispose(). */
  readonly dir: string;
  private disposed = false;

  private constructor(dir: string, spec: ClusterSpec, members: LocalMember[], pki?: Pki) {
    this.dir = dir;
    this.spec = spec;
    this.members = members;
    this.pki = pki;
  }

  static async start(spec: ClusterSpec = {}): Promise<LocalCluster> {
    if (spec.exitHooks !== false) installExitHooks();
    const size = spec.size ?? 3;
    const dir = mkdtempSync(join(tmpdir(), 'etcd-perf-cluster-'));
    const pki = spec.tls ? makePki(join(dir, 'pki')) : undefined;
    const ports = await freePorts(size * 3);
    const scheme = spec.tls ? 'https' : 'http';
    const members: LocalMember[] = Array.from({ length: size }, (_, i) => {
      const [client, peer, metrics] = [ports[i * 3], ports[i * 3 + 1], ports[i * 3 + 2]] as [number, number, number];
      const clientUrl = `${scheme}://127.0.0.1:${client}`;
      return {
        name: `etcd-${i + 1}`,
        clientUrl,
        peerUrl: `http://127.0.0.1:${peer}`,
        metricsUrl: spec.separateMetrics ? `http://127.0.0.1:${metrics}/metrics` : `${clientUrl}/metrics`,
        dataDir: join(dir, `etcd-${i + 1}.etcd`),
        logFile: join(dir, `etcd-${i + 1}.log`),
      };
    });
    const cluster = new LocalCluster(dir, spec, members, pki);
    live.add(cluster);
    try {
      for (const member of members) cluster.launch(member, 'new');
      await cluster.waitHealthy(30_000);
      if (spec.rootPassword !== undefined) cluster.enableAuth(spec.rootPassword);
    } catch (error) {
      await cluster.dispose();
      throw error;
    }
    return cluster;
  }

  get endpoints(): string[] {
    return this.members.map((m) => m.clientUrl);
  }

  /** Connection flags for our own commands and core, as a user would type them. */
  connectionFlags(): ConnectionFlags {
    return {
      endpoints: this.endpoints.join(','),
      ...(this.pki ? { cacert: this.pki.ca, cert: this.pki.clientCert, key: this.pki.clientKey } : {}),
      ...(this.spec.rootPassword !== undefined ? { user: `root:${this.spec.rootPassword}` } : {}),
    };
  }

  /** The same as command-line arguments (for etcdctl-compatible flags). */
  connectionArgs(): string[] {
    const flags = this.connectionFlags();
    return [
      `--endpoints=${flags.endpoints}`,
      ...(flags.cacert ? [`--cacert=${flags.cacert}`, `--cert=${flags.cert}`, `--key=${flags.key}`] : []),
      ...(flags.user ? [`--user=${flags.user}`] : []),
    ];
  }

  /** An etcd3 client over all members, for writing test data. */
  client(): Etcd3 {
    const read = (path?: string): Buffer | undefined => (path ? execFileSync('cat', [path]) : undefined);
    return new Etcd3({
      hosts: this.endpoints,
      // Tests read whole prefixes back in one response.
      grpcOptions: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
      ...(this.pki ? { credentials: { rootCertificate: read(this.pki.ca) as Buffer, privateKey: read(this.pki.clientKey), certChain: read(this.pki.clientCert) } } : {}),
      ...(this.spec.rootPassword !== undefined ? { auth: { username: 'root', password: this.spec.rootPassword } } : {}),
    });
  }

  etcdctl(args: string[], endpoints: string[] = this.endpoints): string {
    const flags = this.connectionArgs().filter((arg) => !arg.startsWith('--endpoints='));
    return execFileSync('etcdctl', [`--endpoints=${endpoints.join(',')}`, ...flags, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  private launch(member: LocalMember, state: 'new' | 'existing'): void {
    const initialCluster = this.members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
    const { spec, pki } = this;
    const args = [
      `--name=${member.name}`,
      `--data-dir=${member.dataDir}`,
      `--listen-client-urls=${member.clientUrl}`,
      `--advertise-client-urls=${member.clientUrl}`,
      `--listen-peer-urls=${member.peerUrl}`,
      `--initial-advertise-peer-urls=${member.peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-token=${this.dir}`,
      `--initial-cluster-state=${state}`,
      ...(spec.separateMetrics ? [`--listen-metrics-urls=${member.metricsUrl.replace(/\/metrics$/, '')}`] : []),
      ...(spec.quotaBackendBytes ? [`--quota-backend-bytes=${spec.quotaBackendBytes}`] : []),
      ...(pki ? [`--cert-file=${pki.serverCert}`, `--key-file=${pki.serverKey}`, `--trusted-ca-file=${pki.ca}`, '--client-cert-auth'] : []),
      ...(spec.extraFlags ?? []),
    ];
    const log = openSync(member.logFile, 'a');
    member.process = spawn(spec.etcdBinary ?? etcdBinary(), args, { stdio: ['ignore', log, log], env: memberEnvironment() });
    closeSync(log);
    member.process.on('error', (error) => { member.launchError = error; });
  }

  /** Waits until every running member answers a linearizable read. */
  async waitHealthy(timeoutMs: number, members: LocalMember[] = this.members): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (const member of members) {
      for (;;) {
        if (member.launchError) {
          throw new Error((member.launchError as NodeJS.ErrnoException).code === 'ENOENT'
            ? `no etcd binary (${this.spec.etcdBinary ?? etcdBinary()}): install it (apt-get install etcd-server etcd-client) or set ETCD_BIN`
            : `cannot start ${member.name}: ${member.launchError.message}`);
        }
        if (member.process?.exitCode !== null && member.process?.exitCode !== undefined) {
          throw new Error(`${member.name} exited with code ${member.process.exitCode}; log: ${member.logFile}`);
        }
        try {
          const flags = this.connectionArgs().filter((arg) => !arg.startsWith('--endpoints='));
          await execFileAsync('etcdctl', [`--endpoints=${member.clientUrl}`, ...flags, 'endpoint', 'health', '--command-timeout=1s'],
            { env: { ...process.env, ETCDCTL_API: '3' } });
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('no etcdctl: install it (apt-get install etcd-client)');
          if (Date.now() > until) throw new Error(`${member.name} not healthy after ${timeoutMs} ms; log: ${member.logFile}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    }
  }

  private enableAuth(password: string): void {
    const plain = this.connectionArgs().filter((arg) => !arg.startsWith('--user='));
    const run = (args: string[]): void => {
      execFileSync('etcdctl', [...plain, ...args], { env: { ...process.env, ETCDCTL_API: '3' }, stdio: 'pipe' });
    };
    run(['user', 'add', `root:${password}`]);
    run(['auth', 'enable']);
  }

  /**
   * Waits until every member's in-use size stays the same over consecutive reads: after a compaction the members
   * that did not serve it go on compacting in the background, so sizes read a moment apart can differ.
   */
  async waitSettled(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let previous = '';
    for (let stable = 0; stable < 2;) {
      if (Date.now() > until) throw new Error('member sizes did not settle');
      const sizes = this.etcdctl(['endpoint', 'status', '-w', 'json']).replace(/.*?"dbSizeInUse":(\d+).*?(?="dbSizeInUse"|$)/g, '$1,');
      stable = sizes === previous ? stable + 1 : 0;
      previous = sizes;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): void {
    this.members[index]?.process?.kill(signal);
  }

  /** Restarts a killed member on its data dir and waits for it. */
  async restart(index: number): Promise<void> {
    const member = this.members[index] as LocalMember;
    this.launch(member, 'existing');
    await this.waitHealthy(30_000, [member]);
  }

  async dispose(): Promise<void> {
    const exits = this.members.map((m) => m.process).filter((p): p is ChildProcess => !!p && p.exitCode === null && p.signalCode === null)
      .map((p) => new Promise<void>((resolve) => { p.once('exit', () => resolve()); }));
    this.disposeSync();
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }

  disposeSync(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const member of this.members) {
      member.process?.kill('SIGCONT');
      member.process?.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

/**
 * Writes `rounds` versions of `keys` keys of `valueBytes` each (500 puts in flight), then (unless `compact: false`)
 * compacts physically to the current revision: what remains is real fragmentation (a large file, little in use).
 */
export async function writeChurn(
  cluster: LocalCluster,
  { keys = 2000, valueBytes = 4096, rounds = 25, prefix = '/churn/', compact = true, onRound }: {
    keys?: number; valueBytes?: number; rounds?: number; prefix?: string; compact?: boolean; onRound?: (round: number) => void;
  } = {},
): Promise<number> {
  const client = cluster.client();
  try {
    const value = Buffer.alloc(valueBytes, 'x');
    for (let round = 0; round < rounds; round += 1) {
      for (let start = 0; start < keys; start += 500) {
        const batch: Promise<unknown>[] = [];
        for (let k = start; k < Math.min(keys, start + 500); k += 1) {
          batch.push(client.put(`${prefix}${String(k).padStart(6, '0')}`).value(value).exec());
        }
        await Promise.all(batch);
      }
      onRound?.(round + 1);
    }
    const { header } = await client.kv.range({ key: Buffer.from(prefix), limit: '1' });
    if (compact) await client.kv.compact({ revision: header.revision, physical: true });
    return Number(header.revision);
  } finally {
    client.close();
  }
}

/**
 * The demo cluster (`npm run demo`, the extension's Start Local Demo Cluster): three members on loopback and `rounds`
 * of history compacted away, so each member's file is large and mostly free space. Each stage is said to `onProgress`.
 */
export async function startDemoCluster(
  { rounds, exitHooks = true, onProgress }: { rounds: number; exitHooks?: boolean; onProgress?: (message: string, fraction: number) => void },
): Promise<LocalCluster> {
  onProgress?.('starting a 3-member etcd cluster on loopback', 0);
  const cluster = await LocalCluster.start({ size: 3, exitHooks });
  try {
    onProgress?.(`cluster up: ${cluster.endpoints.join(',')} (data in ${cluster.dir})`, 0);
    onProgress?.(`writing ${rounds} rounds of 2,000 keys x 4 KiB, then compacting (about ${Math.round(rounds * 0.6)} s)`, 0);
    await writeChurn(cluster, { rounds, onRound: (round) => onProgress?.(`writing history: round ${round}/${rounds}`, round / rounds) });
    return cluster;
  } catch (error) {
    await cluster.dispose();
    throw error;
  }
}
