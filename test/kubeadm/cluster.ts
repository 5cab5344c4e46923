// A real kubeadm control plane on this one machine: each node a network namespace on a bridge (node.sh gives it its
// own mount, UTS and PID namespaces, containerd and kubelet), `kubeadm init` on the first and `kubeadm join
// --control-plane` on the others, one at a time. Stacked etcd: every node runs kubeadm's own etcd, API server,
// controller manager and scheduler static pods, from images built here (scripts/ensure-kubeadm-images.sh). No CNI:
// the control plane is host-network, so the nodes report NotReady for the network alone.
//
// Everything the cluster creates is recorded in DIR/teardown.json as it is created, so `down()` (or a later run given
// the same DIR) removes exactly that: node processes (the kernel ends each node's PID namespace with its first process),
// network namespaces, the bridge, cgroups, and the folders it made on the host for its bind mounts.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

const SCRIPTS = resolve(__dirname, '../../scripts');
const NODE_SH = resolve(__dirname, 'node.sh');
/** The paths node.sh binds a node's own folder over; the host needs them to exist as mount points. */
const MOUNT_POINTS = ['/etc/kubernetes', '/var/lib/kubelet', '/var/lib/etcd', '/var/log/pods', '/var/log/containers', '/run/containerd',
  '/var/lib/containerd', '/etc/containerd', '/etc/cni/net.d'];
/** What the viewer user may do: read the etcd pods, their logs, events and nodes; not exec into them, not port-forward. */
const VIEWER_RBAC = [
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'etcd-perf-viewer' },
    rules: [{ apiGroups: [''], resources: ['pods', 'pods/log', 'nodes', 'events', 'namespaces'], verbs: ['get', 'list', 'watch'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'etcd-perf-viewer' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'etcd-perf-viewer' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }] },
].map((d) => stringify(d)).join('---\n');
/**
 * The API servers' audit policy: every request of the two test users (kubernetes-admin, viewer) at Metadata level, so a
 * test can count what a command asked the API server (DIR/cp-N/etc-kubernetes/audit/audit.log); nothing else.
 */
const AUDIT_POLICY = stringify({
  apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'],
  rules: [{ level: 'Metadata', users: ['kubernetes-admin', 'viewer'] }, { level: 'None' }],
});
const AUDIT_DIR = '/etc/kubernetes/audit';
const CGROUP_CONTROLLERS = ['cpu', 'cpuacct', 'cpuset', 'memory', 'pids', 'systemd', 'blkio', 'devices', 'freezer'];

export interface ClusterOptions {
  /** Where the cluster keeps its nodes' folders, kubeconfigs and teardown record (created; removed by down()). */
  dir: string;
  etcdVersion: string;
  kubernetesVersion?: string;
  /** Control-plane nodes (1 or 3 make sense: etcd wants an odd count). */
  nodes: number;
  /** Extra etcd flags for every member (`--name=value`), as kubeadm's etcd.local.extraArgs. */
  etcdFlags: string[];
  log: (line: string) => void;
}

export interface KubeadmNode {
  name: string;
  ip: string;
  /** Host pid of the node's first process (nsenter -t PID enters the node). */
  pid: number;
  /** The node's folder; its /etc/kubernetes is DIR/etc-kubernetes. */
  dir: string;
  pod: string;
  clientUrl: string;
  /** The node's etcd manifest as the host sees it. */
  manifest: string;
  /** The node's API server audit log as the host sees it (requests of kubernetes-admin and viewer). */
  auditLog: string;
  /** kubeadm's etcd healthcheck-client certificate: what a direct connection to the members uses. */
  pki: { ca: string; cert: string; key: string };
}

export interface ClusterInfo {
  server: string;
  /** Two contexts: kubernetes-admin@etcd-perf (current) and viewer@etcd-perf. */
  kubeconfig: string;
  /** A user RBAC allows to read pods, logs, events and nodes, but not pods/exec or pods/portforward. */
  viewerKubeconfig: string;
  kubernetesBin: string;
  etcdVersion: string;
  kubernetesVersion: string;
  nodes: KubeadmNode[];
}

interface Teardown {
  /** The process that made the cluster: only it tears it down while it lives. */
  owner: number;
  pids: number[];
  netns: string[];
  links: string[];
  cgroups: string[];
  hostDirs: string[];
}

function sh(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function ensure(script: string, ...args: string[]): string {
  return execFileSync('bash', [join(SCRIPTS, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pids of a process' children (none once it is gone). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A free /24 for the bridge: 10.77.N.0/24 with no link named after it yet. */
function pickNetwork(): { bridge: string; prefix: string; tag: string } {
  const links = sh('ip', ['-o', 'link', 'show']);
  for (let n = 77; n < 120; n += 1) {
    const bridge = `epk${n}`;
    if (!links.includes(` ${bridge}:`)) return { bridge, prefix: `10.77.${n}`, tag: `epk${n}` };
  }
  throw new Error('no free network for the kubeadm cluster (bridges epk77..epk119 all exist)');
}

/** The memory cgroup this process is accounted in ('' at the root): the nodes' cgroups go below it. */
function memoryCgroup(): string {
  const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => /^\d+:memory:/.test(l));
  const path = line?.split(':')[2] ?? '/';
  return path === '/' ? '' : path;
}

function makeCgroup(path: string): void {
  for (const controller of CGROUP_CONTROLLERS) {
    const base = `/sys/fs/cgroup/${controller}`;
    if (!existsSync(base)) continue;
    let current = base;
    for (const part of path.split('/').filter(Boolean)) {
      const parent = current;
      current = join(current, part);
      if (existsSync(current)) continue;
      mkdirSync(current);
      if (controller === 'cpuset') {
        // A new cpuset holds no CPU and no memory node until given its parent's.
        for (const file of ['cpuset.cpus', 'cpuset.mems']) writeFileSync(join(current, file), readFileSync(join(parent, file), 'utf8'));
      }
    }
  }
}

/** Removes a cgroup tree depth-first (only empty cgroups can go; their processes must have exited). */
function removeCgroup(path: string): void {
  // runc and the kubelet also make the pod cgroups in the unified (cgroup v2) hierarchy of a hybrid host.
  for (const controller of [...CGROUP_CONTROLLERS, 'unified']) {
    const root = join(`/sys/fs/cgroup/${controller}`, path);
    const visit = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const entry of readdirSync(dir)) {
        const child = join(dir, entry);
        try {
          if (statSync(child).isDirectory()) visit(child);
        } catch { /* gone meanwhile */ }
      }
      try { rmdirSync(dir); } catch { /* still busy: left for the next attempt */ }
    };
    visit(root);
  }
}

export class KubeadmCluster {
  private constructor(readonly info: ClusterInfo, private readonly dir: string) {}

  /** Runs a command inside a node's namespaces (as `nsenter -t PID -m -u -n -p`). */
  static inNode(node: { pid: number }, command: string[], input?: string): string {
    return sh('nsenter', ['-t', String(node.pid), '-m', '-u', '-n', '-p', '--', ...command], input);
  }

  static async up(options: ClusterOptions): Promise<KubeadmCluster> {
    const dir = resolve(options.dir);
    mkdirSync(dir, { recursive: true });
    const teardown: Teardown = { owner: process.pid, pids: [], netns: [], links: [], cgroups: [], hostDirs: [] };
    const record = () => writeFileSync(join(dir, 'teardown.json'), JSON.stringify(teardown));
    record();
    try {
      return await KubeadmCluster.build(options, dir, teardown, record);
    } catch (error) {
      KubeadmCluster.teardown(dir);
      throw error;
    }
  }

  private static async build(options: ClusterOptions, dir: string, teardown: Teardown, record: () => void): Promise<KubeadmCluster> {
    const { log } = options;
    ensure('ensure-debian.sh', 'containerd ctr runc nsenter unshare iptables', 'containerd runc util-linux iptables', 'install containerd and runc to run the kubeadm test cluster.');
    const k8sBin = ensure('ensure-kubernetes.sh', ...(options.kubernetesVersion ? [options.kubernetesVersion] : []));
    const kubernetesVersion = sh(join(k8sBin, 'kubeadm'), ['version', '-o', 'short']).trim();
    const imagesDir = ensure('ensure-kubeadm-images.sh', options.etcdVersion);
    const images = readdirSync(imagesDir).filter((f) => f.endsWith('.tar'));
    const wanted = [`etcd-${options.etcdVersion}-0.tar`, ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) => `${c}-${kubernetesVersion}.tar`)];
    const pause = images.find((f) => f.startsWith('pause-'));
    if (!pause) throw new Error(`no pause image in ${imagesDir}`);
    const archives = [...wanted, pause].map((f) => join(imagesDir, f));
    const pauseImage = `registry.k8s.io/pause:${basename(pause, '.tar').slice('pause-'.length)}`;

    for (const point of MOUNT_POINTS) {
      if (existsSync(point)) continue;
      mkdirSync(point, { recursive: true });
      teardown.hostDirs.push(point);
    }
    record();

    const net = pickNetwork();
    sh('ip', ['link', 'add', net.bridge, 'type', 'bridge']);
    teardown.links.push(net.bridge);
    record();
    sh('ip', ['addr', 'add', `${net.prefix}.1/24`, 'dev', net.bridge]);
    sh('ip', ['link', 'set', net.bridge, 'up']);

    const token = `${randomBytes(3).toString('hex')}.${randomBytes(8).toString('hex')}`;
    const certificateKey = randomBytes(32).toString('hex');
    const cgroupParent = `${memoryCgroup()}/etcd-perf-${net.tag}`;
    const nodes: KubeadmNode[] = [];
    for (let i = 0; i < options.nodes; i += 1) {
      const name = `cp-${i + 1}`;
      const ip = `${net.prefix}.${11 + i}`;
      const netns = `${net.tag}-${name}`;
      const nodeDir = join(dir, name);
      mkdirSync(join(nodeDir, 'patches'), { recursive: true });
      sh('ip', ['netns', 'add', netns]);
      teardown.netns.push(netns);
      const veth = `${net.tag}c${i + 1}`;
      sh('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
      teardown.links.push(veth);
      record();
      sh('ip', ['link', 'set', veth, 'master', net.bridge, 'up']);
      sh('ip', ['-n', netns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      sh('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
      sh('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);

      const cgroupRoot = `${cgroupParent}/${name}`;
      makeCgroup(cgroupRoot);
      teardown.cgroups.push(cgroupRoot);
      record();
      mkdirSync(join(nodeDir, 'etc-containerd'), { recursive: true });
      writeFileSync(join(nodeDir, 'etc-containerd', 'config.toml'), containerdConfig(pauseImage));
      writeFileSync(join(nodeDir, 'patches', 'kubeletconfiguration+merge.yaml'), stringify({ cgroupRoot }));
      mkdirSync(join(nodeDir, 'etc-kubernetes', 'audit'), { recursive: true });
      writeFileSync(join(nodeDir, 'etc-kubernetes', 'audit', 'policy.yaml'), AUDIT_POLICY);

      const child = spawn('nsenter', [`--net=/run/netns/${netns}`, '--', 'unshare', '--mount', '--uts', '--pid', '--fork', '--mount-proc',
        '--propagation', 'private', '--', 'bash', NODE_SH, name, nodeDir, k8sBin, ...archives], { detached: true, stdio: 'ignore' });
      child.unref();
      if (!child.pid) throw new Error(`node ${name} did not start`);
      teardown.pids.push(child.pid);
      record();
      nodes.push({
        name, ip, pid: child.pid, dir: nodeDir, pod: `etcd-${name}`, clientUrl: `https://${ip}:2379`,
        manifest: join(nodeDir, 'etc-kubernetes', 'manifests', 'etcd.yaml'),
        auditLog: join(nodeDir, 'etc-kubernetes', 'audit', 'audit.log'),
        pki: {
          ca: join(nodeDir, 'etc-kubernetes', 'pki', 'etcd', 'ca.crt'),
          cert: join(nodeDir, 'etc-kubernetes', 'pki', 'etcd', 'healthcheck-client.crt'),
          key: join(nodeDir, 'etc-kubernetes', 'pki', 'etcd', 'healthcheck-client.key'),
        },
      });
    }
    // nsenter execs unshare, which forks the node's first process: enter the node through that child.
    for (const node of nodes) {
      const deadline = Date.now() + 120_000;
      while (!existsSync(join(node.dir, 'ready'))) {
        if (Date.now() > deadline) throw new Error(`node ${node.name}: containerd not ready within 120 s (see ${node.dir}/containerd.log)`);
        await sleep(200);
      }
      const [first] = childrenOf(node.pid);
      if (!first) throw new Error(`node ${node.name}: no first process under ${node.pid}`);
      node.pid = first;
    }
    log(`nodes ${nodes.map((n) => `${n.name} ${n.ip}`).join(', ')} up, images imported`);

    const [first] = nodes;
    if (!first) throw new Error('a cluster needs at least one node');
    const endpoint = `${first.ip}:6443`;
    const common = { kubernetesVersion, token, certificateKey, endpoint, etcdVersion: options.etcdVersion, etcdFlags: options.etcdFlags, sans: nodes.map((n) => n.ip) };
    const initFile = join(first.dir, 'kubeadm.yaml');
    writeFileSync(initFile, initConfig(first, common));
    let started = Date.now();
    await runKubeadm(k8sBin, first, ['init', '--config', initFile, '--upload-certs'], join(first.dir, 'kubeadm.log'));
    log(`kubeadm init on ${first.name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    for (const node of nodes.slice(1)) {
      const joinFile = join(node.dir, 'kubeadm.yaml');
      writeFileSync(joinFile, joinConfig(node, common));
      started = Date.now();
      await runKubeadm(k8sBin, node, ['join', '--config', joinFile], join(node.dir, 'kubeadm.log'));
      log(`kubeadm join --control-plane on ${node.name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }

    const admin = readFileSync(join(first.dir, 'etc-kubernetes', 'admin.conf'), 'utf8');
    writeFileSync(join(dir, 'admin.conf'), admin, { mode: 0o600 });
    const viewerKubeconfig = join(dir, 'viewer.conf');
    const viewer = KubeadmCluster.inNode(first, [join(k8sBin, 'kubeadm'), 'kubeconfig', 'user', '--client-name', 'viewer', '--config', initFile]);
    writeFileSync(viewerKubeconfig, viewer, { mode: 0o600 });
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, mergeKubeconfigs(admin, viewer), { mode: 0o600 });
    sh(join(k8sBin, 'kubectl'), ['--kubeconfig', kubeconfig, 'apply', '-f', '-'], VIEWER_RBAC);
    // No kube-proxy here (no image of it is built): the API server's Service IP, by which a pod's ServiceAccount
    // reaches it (in-cluster config), is routed on each node to that node's own API server, as kube-proxy would.
    const serviceIp = sh(join(k8sBin, 'kubectl'), ['--kubeconfig', kubeconfig, 'get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']).trim();
    for (const node of nodes) {
      // A route first (a node has none beyond its bridge's subnet), so that the packet gets as far as the NAT rule.
      KubeadmCluster.inNode(node, ['ip', 'route', 'add', `${serviceIp}/32`, 'dev', 'eth0']);
      KubeadmCluster.inNode(node, ['iptables', '-t', 'nat', '-A', 'OUTPUT', '-d', `${serviceIp}/32`, '-p', 'tcp', '--dport', '443', '-j', 'DNAT', '--to-destination', `${node.ip}:6443`]);
    }
    return new KubeadmCluster({ server: `https://${endpoint}`, kubeconfig, viewerKubeconfig, kubernetesBin: k8sBin, etcdVersion: options.etcdVersion, kubernetesVersion, nodes }, dir);
  }

  /**
   * Stops everything recorded in DIR/teardown.json and removes DIR. Safe to call twice, or on a half-built cluster;
   * refuses a cluster whose maker still runs (a second process given the same DIR).
   */
  static teardown(dir: string): void {
    const file = join(dir, 'teardown.json');
    if (!existsSync(file)) return;
    const t = JSON.parse(readFileSync(file, 'utf8')) as Teardown;
    if (t.owner !== process.pid && existsSync(`/proc/${t.owner}`)) throw new Error(`${dir} holds a cluster of process ${t.owner}, still running: stop that one`);
    for (const pid of t.pids) {
      // The node's first process is the child of the recorded unshare; SIGKILL to it ends the whole PID namespace.
      for (const p of [...childrenOf(pid), pid]) {
        try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    const deadline = Date.now() + 10_000;
    while (t.pids.some((pid) => existsSync(`/proc/${pid}`)) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      for (const cgroup of t.cgroups) removeCgroup(cgroup);
      const parents = [...new Set(t.cgroups.map((c) => c.slice(0, c.lastIndexOf('/'))))];
      for (const parent of parents) removeCgroup(parent);
      if (parents.every((p) => !existsSync(join('/sys/fs/cgroup/memory', p)))) break;
      spawnSync('sleep', ['0.25']);
    }
    for (const netns of t.netns) spawnSync('ip', ['netns', 'del', netns]);
    for (const link of t.links) spawnSync('ip', ['link', 'del', link], { stdio: 'ignore' });
    for (const point of t.hostDirs.reverse()) {
      try { rmdirSync(point); } catch { /* not empty or busy: not ours to force */ }
    }
    rmSync(dir, { recursive: true, force: true });
  }

  down(): void {
    KubeadmCluster.teardown(this.dir);
  }
}

/** Runs kubeadm inside a node (asynchronously: Ctrl-C still reaches the process while kubeadm waits). */
async function runKubeadm(k8sBin: string, node: KubeadmNode, args: string[], logFile: string): Promise<void> {
  const child = spawn('nsenter', ['-t', String(node.pid), '-m', '-u', '-n', '-p', '--', 'kubeadm', ...args, '--v=1'], {
    env: { ...process.env, PATH: `${k8sBin}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  writeFileSync(logFile, output);
  if (code !== 0) {
    const tail = output.trim().split('\n').slice(-15).join('\n');
    throw new Error(`kubeadm ${args[0]} on ${node.name} failed (all of it in ${logFile}):\n${tail}`);
  }
}

interface Common {
  kubernetesVersion: string;
  token: string;
  certificateKey: string;
  endpoint: string;
  etcdVersion: string;
  etcdFlags: string[];
  sans: string[];
}

const TIMEOUTS = { controlPlaneComponentHealthCheck: '8m0s', kubeletHealthCheck: '4m0s', etcdAPICall: '4m0s', tlsBootstrap: '5m0s' };

function registration(node: KubeadmNode): object {
  return {
    name: node.name,
    criSocket: 'unix:///run/containerd/containerd.sock',
    imagePullPolicy: 'Never',
    kubeletExtraArgs: [{ name: 'node-ip', value: node.ip }],
  };
}

function initConfig(node: KubeadmNode, c: Common): string {
  const extraArgs = c.etcdFlags.map((flag) => {
    const m = /^--([^=]+)=(.*)$/.exec(flag);
    if (!m) throw new Error(`--etcd-flag ${flag}: expected --name=value`);
    return { name: m[1], value: m[2] };
  });
  const docs = [
    {
      apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration',
      bootstrapTokens: [{ token: c.token, ttl: '2h' }],
      certificateKey: c.certificateKey,
      localAPIEndpoint: { advertiseAddress: node.ip, bindPort: 6443 },
      nodeRegistration: registration(node),
      skipPhases: ['preflight'],
      patches: { directory: join(node.dir, 'patches') },
      timeouts: TIMEOUTS,
    },
    {
      apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration',
      kubernetesVersion: c.kubernetesVersion,
      clusterName: 'etcd-perf',
      controlPlaneEndpoint: c.endpoint,
      networking: { serviceSubnet: '10.96.0.0/16', dnsDomain: 'cluster.local' },
      dns: { disabled: true },
      proxy: { disabled: true },
      apiServer: {
        certSANs: [...c.sans, '127.0.0.1'],
        extraArgs: [{ name: 'audit-policy-file', value: `${AUDIT_DIR}/policy.yaml` }, { name: 'audit-log-path', value: `${AUDIT_DIR}/audit.log` },
          { name: 'audit-log-maxsize', value: '100' }],
        extraVolumes: [{ name: 'audit', hostPath: AUDIT_DIR, mountPath: AUDIT_DIR, readOnly: false, pathType: 'DirectoryOrCreate' }],
      },
      etcd: { local: { imageTag: `${c.etcdVersion}-0`, ...(extraArgs.length ? { extraArgs } : {}) } },
    },
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration',
      cgroupDriver: 'cgroupfs',
      failCgroupV1: false,
      failSwapOn: false,
      // Images cannot be pulled again here: never collect them, never evict for disk.
      imageGCHighThresholdPercent: 100,
      evictionHard: { 'nodefs.available': '0%', 'nodefs.inodesFree': '0%', 'imagefs.available': '0%' },
    },
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}

function joinConfig(node: KubeadmNode, c: Common): string {
  return stringify({
    apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'JoinConfiguration',
    nodeRegistration: registration(node),
    discovery: { bootstrapToken: { apiServerEndpoint: c.endpoint, token: c.token, unsafeSkipCAVerification: true } },
    controlPlane: { localAPIEndpoint: { advertiseAddress: node.ip, bindPort: 6443 }, certificateKey: c.certificateKey },
    skipPhases: ['preflight'],
    patches: { directory: join(node.dir, 'patches') },
    timeouts: TIMEOUTS,
  });
}

/** One kubeconfig with both users' contexts (the cluster entry is the same in both files); the admin's is current. */
function mergeKubeconfigs(admin: string, viewer: string): string {
  interface Kubeconfig { clusters: unknown[]; users: unknown[]; contexts: unknown[]; 'current-context': string }
  const a = parse(admin) as Kubeconfig;
  const v = parse(viewer) as Kubeconfig;
  return stringify({ ...a, users: [...a.users, ...v.users], contexts: [...a.contexts, ...v.contexts] });
}

function containerdConfig(pauseImage: string): string {
  return `version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${pauseImage}"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # Nothing here may lower an oom_score_adj (no CAP_SYS_RESOURCE): containerd keeps containers at or above its own.
  restrict_oom_score_adj = true
  tolerate_missing_hugetlb_controller = true
  disable_hugetlb_controller = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/opt/cni/bin"
    conf_dir = "/etc/cni/net.d"
`;
}
