// The sandbox's kubelet: runs one static pod per node from its manifest as a real process, and stands in for the
// container runtime. A container's view of the world is made by rewriting what it is given: paths under a volume
// mount become the matching folder under the node's root (hostPath volumes), and 127.0.0.1/localhost become the node's
// address (host networking on a node of its own). Logs are kept line by line with their time, as the runtime does.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxNode } from './kubeadm.ts';

export interface LogLine {
  time: Date;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface PodEvent {
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  time: Date;
}

interface Container {
  name: string;
  image: string;
  command: string[];
  volumeMounts?: { mountPath: string; name: string }[];
}

interface Volume {
  name: string;
  hostPath?: { path: string };
}

const MAX_LOG_LINES = 100_000;
/** The binaries the etcd image holds (it is distroless: no shell, no cat, no tar); etcdutl from 3.5 on, as in the real images. */
const IMAGE_BINARIES: Record<string, string> = {
  etcd: 'etcd', etcdctl: 'etcdctl', '/usr/local/bin/etcd': 'etcd', '/usr/local/bin/etcdctl': 'etcdctl',
  ...(onPath('etcdutl') ? { etcdutl: 'etcdutl', '/usr/local/bin/etcdutl': 'etcdutl' } : {}),
};

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, command)));
}

export class StaticPod {
  readonly uid = randomUUID();
  readonly name: string;
  readonly created = new Date();
  readonly logs: LogLine[] = [];
  readonly events: PodEvent[] = [];
  readonly containerId = randomBytes(32).toString('hex');
  startedAt?: Date;
  exit?: { code: number | null; signal: string | null; at: Date };
  private process?: ChildProcess;
  private readonly logWaiters = new Set<() => void>();

  constructor(readonly node: SandboxNode, readonly manifest: Record<string, unknown>, readonly manifestPath: string) {
    const metadata = manifest.metadata as { name: string };
    this.name = `${metadata.name}-${node.name}`;
  }

  get container(): Container {
    return ((this.manifest.spec as { containers: Container[] }).containers)[0] as Container;
  }

  get running(): boolean {
    return this.process !== undefined && this.exit === undefined;
  }

  /** A path inside the container, as a path on the sandbox's disk (through the hostPath volumes). */
  hostPath(containerPath: string): string | undefined {
    const volumes = (this.manifest.spec as { volumes?: Volume[] }).volumes ?? [];
    const mounts = [...(this.container.volumeMounts ?? [])].sort((a, b) => b.mountPath.length - a.mountPath.length);
    for (const mount of mounts) {
      if (containerPath !== mount.mountPath && !containerPath.startsWith(`${mount.mountPath}/`)) continue;
      const volume = volumes.find((v) => v.name === mount.name);
      if (!volume?.hostPath) return undefined;
      return join(this.node.root, volume.hostPath.path, containerPath.slice(mount.mountPath.length));
    }
    return undefined;
  }

  /** One argument as the host must see it: mounted paths and the loopback address rewritten. */
  translate(argument: string): string {
    const mounts = [...(this.container.volumeMounts ?? [])].sort((a, b) => b.mountPath.length - a.mountPath.length);
    let out = argument.replace(/\b(127\.0\.0\.1|localhost)\b/g, this.node.ip);
    for (const mount of mounts) {
      out = out.replace(new RegExp(`(^|[=,\\s])${mount.mountPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|$|[,\\s])`, 'g'),
        (_m, lead: string) => `${lead}${this.hostPath(mount.mountPath) ?? mount.mountPath}`);
    }
    // Two listen URLs that became the same address would make etcd fail to bind twice.
    const flag = /^(--listen-[a-z-]+-urls=)(.*)$/.exec(out);
    if (flag) out = `${flag[1]}${[...new Set((flag[2] as string).split(','))].join(',')}`;
    return out;
  }

  private binary(command: string): string | undefined {
    return IMAGE_BINARIES[command];
  }

  start(): void {
    const [command, ...args] = this.container.command;
    const binary = this.binary(command ?? '');
    if (!binary) throw new Error(`${this.name}: the image has no ${command}`);
    this.event('Normal', 'Pulled', `Container image "${this.container.image}" already present on machine`);
    this.event('Normal', 'Created', `Created container ${this.container.name}`);
    const child = spawn(process.env.ETCD_BIN ?? binary, args.map((a) => this.translate(a)), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ETCD_UNSUPPORTED_ARCH: process.env.ETCD_UNSUPPORTED_ARCH ?? '' },
    });
    this.process = child;
    this.startedAt = new Date();
    this.event('Normal', 'Started', `Started container ${this.container.name}`);
    this.capture(child, 'stdout');
    this.capture(child, 'stderr');
    child.on('exit', (code, signal) => {
      this.exit = { code, signal, at: new Date() };
      this.event('Warning', 'BackOff', `Back-off restarting failed container ${this.container.name} in pod ${this.name}_kube-system(${this.uid})`);
      this.wakeLogReaders();
    });
  }

  /** Stops the container (the sandbox's fault injection: a member whose pod is not running). */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.process;
    if (!child || this.exit) return Promise.resolve();
    this.event('Normal', 'Killing', `Stopping container ${this.container.name}`);
    return new Promise((resolve) => {
      // A leader stopping waits to hand over leadership; with its peers gone too, that is time wasted.
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => { clearTimeout(kill); resolve(); });
      child.kill(signal);
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.process?.kill(signal);
  }

  event(type: PodEvent['type'], reason: string, message: string): void {
    this.events.push({ type, reason, message, time: new Date() });
  }

  private capture(child: ChildProcess, stream: LogLine['stream']): void {
    let partial = '';
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      const time = new Date();
      for (const text of lines) this.logs.push({ time, stream, text });
      if (this.logs.length > MAX_LOG_LINES) this.logs.splice(0, this.logs.length - MAX_LOG_LINES);
      this.wakeLogReaders();
    });
  }

  private wakeLogReaders(): void {
    for (const wake of this.logWaiters) wake();
    this.logWaiters.clear();
  }

  /** Resolves when a new log line arrives or the container exits (for `logs --follow`). */
  nextLog(): Promise<void> {
    return new Promise((resolve) => this.logWaiters.add(resolve));
  }

  /** Runs a command "inside the container": only the image's binaries, with the container's view of paths and network. */
  exec(command: string[]): ChildProcess | { notFound: string } {
    const [name, ...args] = command;
    const binary = this.binary(name ?? '');
    if (!binary) return { notFound: name ?? '' };
    const real = binary === 'etcd' ? (process.env.ETCD_BIN ?? 'etcd') : binary === 'etcdctl' ? (process.env.ETCDCTL_BIN ?? 'etcdctl') : binary;
    return spawn(real, args.map((a) => this.translate(a)), {
      stdio: ['pipe', 'pipe', 'pipe'],
      // The image's environment: nothing of the sandbox's own ETCDCTL_* settings leaks in.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ETCDCTL_API: '3' },
    });
  }

  /** CPU seconds and resident bytes of the container's process, from /proc (for the metrics API). */
  usage(): { cpuSeconds: number; memoryBytes: number } | undefined {
    const pid = this.process?.pid;
    if (!pid || !this.running) return undefined;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      return { cpuSeconds: ticks / 100, memoryBytes: rss };
    } catch {
      return undefined;
    }
  }
}
