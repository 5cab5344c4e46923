// npm run k8s:sandbox -- [--etcd-version 3.6.16] [--nodes 3] [--etcd-flag --name=value]... [--dir DIR] [--kubeconfig FILE]
// A real kubeadm control plane on this machine (see cluster.ts): builds Kubernetes and the images on first use
// (cached), brings up the nodes, waits until every etcd pod is Running and ready, writes a kubeconfig with two
// contexts, kubernetes-admin@etcd-perf and viewer@etcd-perf (a user RBAC forbids pods/exec and pods/portforward) and cluster.json (nodes, addresses, certificates),
// then runs until Ctrl-C or SIGTERM, when it removes everything it made.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeadmCluster } from './cluster.ts';

/** The project's default etcd version (scripts/etcd-versions.sh, the one place it is set). */
function defaultEtcdVersion(): string | undefined {
  return /^ETCD_DEFAULT=(\S+)$/m.exec(readFileSync(resolve(__dirname, '../../scripts/etcd-versions.sh'), 'utf8'))?.[1];
}

function etcdPodsReady(kubectl: string, kubeconfig: string, count: number): boolean {
  try {
    const out = execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'get', 'pods', '-n', 'kube-system', '-l', 'component=etcd', '-o',
      'jsonpath={range .items[*]}{.status.phase}/{.status.containerStatuses[0].ready}{"\\n"}{end}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.split('\n').filter(Boolean);
    return rows.length === count && rows.every((r) => r === 'Running/true');
  } catch {
    return false;
  }
}

let cleanup = (): void => undefined;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'etcd-version': { type: 'string', default: process.env.ETCD_VERSION || defaultEtcdVersion() },
      nodes: { type: 'string', default: '3' },
      'etcd-flag': { type: 'string', multiple: true, default: [] },
      dir: { type: 'string' },
      kubeconfig: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`npm run k8s:sandbox -- [options]: a real kubeadm control plane on this machine, removed on Ctrl-C
  --etcd-version V     etcd of the etcd pods (3.5 or later; default ${defaultEtcdVersion()}); built from Go modules once
  --nodes N            control-plane nodes, 1 to 5 (default 3)
  --etcd-flag --x=y    an extra flag for every etcd member (repeatable), as kubeadm's etcd.local.extraArgs
  --dir DIR            where the nodes' folders go (default: a new folder under ${tmpdir()}); must be empty
  --kubeconfig FILE    also copy the kubeconfig there (contexts kubernetes-admin@etcd-perf, viewer@etcd-perf)
Needs root (network namespaces, mounts, cgroups). First use builds Kubernetes (~15 min) and the images (~1 min).
`);
    return;
  }
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 5) throw new Error(`--nodes ${values.nodes}: expected 1 to 5`);
  const etcdVersion = values['etcd-version'];
  if (!etcdVersion) throw new Error('--etcd-version: which etcd the cluster runs (a built version, 3.5 or later)');
  const dir = resolve(values.dir ?? mkdtempSync(join(tmpdir(), 'etcd-perf-kubeadm-')));
  if (values.dir && existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`--dir ${dir} is not empty: give the cluster a folder of its own`);
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    log('removing the cluster ...');
    KubeadmCluster.teardown(dir);
    log('removed');
    process.exit(code);
  };
  cleanup = () => KubeadmCluster.teardown(dir);
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(143));

  log(`kubeadm cluster: ${nodes} control-plane node(s), etcd ${etcdVersion}, in ${dir}`);
  const cluster = await KubeadmCluster.up({ dir, etcdVersion, nodes, etcdFlags: values['etcd-flag'] ?? [], log });
  const { info } = cluster;
  const kubectl = join(info.kubernetesBin, 'kubectl');
  while (!etcdPodsReady(kubectl, info.kubeconfig, nodes)) {
    if (stopping) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(info, null, 2));
  if (values.kubeconfig) copyFileSync(info.kubeconfig, resolve(values.kubeconfig));
  log(`ready: ${info.server}, Kubernetes ${info.kubernetesVersion}, etcd ${info.etcdVersion} on ${info.nodes.map((n) => n.name).join(', ')}`);
  process.stdout.write(`export KUBECONFIG=${values.kubeconfig ? resolve(values.kubeconfig) : info.kubeconfig}\n`);
  log('Ctrl-C removes it');
  // A pending promise alone does not keep Node running: a timer does, until a signal stops the cluster.
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`k8s:sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  cleanup();
  process.exit(1);
});
