// npm run k8s:sandbox -- --kubeconfig FILE [--dir DIR] [--members 3] [--no-metrics-api] [--port N]
//   [--etcd-flag --name=value]... (every member's manifest) [--member-flag cp-2:--name=value]... (one member's)
// A kubeadm-like control plane to test against on a machine with no kube-apiserver and no container engine: a real
// etcd cluster (TLS, client-certificate auth, kubeadm's static pod manifests and pki/etcd layout) and an API server
// serving its pods (see api-server.ts). Writes the kubeconfig when ready, plus sandbox.json beside the nodes (endpoints,
// certificates, pids: what tests need to compare with a direct connection), and runs until SIGTERM or Ctrl-C.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { ApiServer, type User } from './api-server.ts';
import { etcdManifest, makeEtcdCa, makeNodePki, writeManifest, type SandboxNode } from './kubeadm.ts';
import { StaticPod } from './kubelet.ts';
import { freePorts, isFree } from '../../shared/demo/ports.ts';

/** Node addresses 127.A.B.11, .12, ... on a random /24 of loopback where kubeadm's ports 2379-2381 are free. */
async function pickNodeAddresses(count: number): Promise<string[]> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const block = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const ips = Array.from({ length: count }, (_, i) => `${block}.${11 + i}`);
    const free = await Promise.all(ips.flatMap((ip) => [2379, 2380, 2381].map((port) => isFree(port, ip))));
    if (free.every(Boolean)) return ips;
  }
  throw new Error('no free loopback block for the sandbox nodes');
}

function healthy(ip: string): Promise<boolean> {
  return new Promise((done) => {
    const req = get({ host: ip, port: 2381, path: '/health', timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => done(/"health":\s*"true"/.test(body)));
    });
    req.on('error', () => done(false));
    req.on('timeout', () => { req.destroy(); done(false); });
  });
}

function apiServerTls(dir: string): { cert: string; key: string; ca: string } {
  mkdirSync(dir, { recursive: true });
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=kubernetes', '-keyout', 'ca.key', '-out', 'ca.crt']);
  writeFileSync(join(dir, 'apiserver.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes\nextendedKeyUsage=serverAuth\n');
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kube-apiserver', '-keyout', 'apiserver.key', '-out', 'apiserver.csr']);
  run(['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '365', '-extfile', 'apiserver.ext', '-out', 'apiserver.crt']);
  return { cert: readFileSync(join(dir, 'apiserver.crt'), 'utf8'), key: readFileSync(join(dir, 'apiserver.key'), 'utf8'), ca: readFileSync(join(dir, 'ca.crt'), 'utf8') };
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

let cleanup: (code: number) => Promise<void> = async (code) => process.exit(code);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      dir: { type: 'string' },
      members: { type: 'string', default: '3' },
      'no-metrics-api': { type: 'boolean', default: false },
      port: { type: 'string' },
      'etcd-flag': { type: 'string', multiple: true, default: [] },
      'member-flag': { type: 'string', multiple: true, default: [] },
    },
  });
  const memberFlags = (values['member-flag'] ?? []).map((entry) => {
    const m = /^([^:]+):(--.+)$/.exec(entry);
    if (!m) throw new Error(`--member-flag ${entry}: expected NODE:--flag=value`);
    return { node: m[1] as string, flag: m[2] as string };
  });
  if (!values.kubeconfig) throw new Error('--kubeconfig FILE is required: where to write the kubeconfig once the sandbox is ready');
  const kubeconfig = resolve(values.kubeconfig);
  const ownDir = !values.dir;
  const dir = values.dir ? resolve(values.dir) : mkdtempSync(join(tmpdir(), 'etcd-perf-sandbox-'));
  const count = Number(values.members);
  if (!Number.isInteger(count) || count < 1 || count > 7) throw new Error('--members must be 1 to 7');

  const ips = await pickNodeAddresses(count);
  const nodes: SandboxNode[] = ips.map((ip, i) => ({ name: `cp-${i + 1}`, ip, root: join(dir, 'nodes', `cp-${i + 1}`) }));
  makeEtcdCa(join(dir, 'etcd-ca'));
  const pods = nodes.map((node) => {
    makeNodePki(join(dir, 'etcd-ca'), node);
    const manifest = etcdManifest(node, nodes, [...(values['etcd-flag'] ?? []), ...memberFlags.filter((f) => f.node === node.name).map((f) => f.flag)]);
    writeManifest(node, manifest);
    return new StaticPod(node, manifest, join(node.root, 'etc/kubernetes/manifests/etcd.yaml'));
  });

  const tls = apiServerTls(join(dir, 'apiserver'));
  const adminToken = randomBytes(16).toString('hex');
  const viewerToken = randomBytes(16).toString('hex');
  const tokens = new Map<string, User>([
    [adminToken, { name: 'kubernetes-admin', denied: [] }],
    [viewerToken, { name: 'viewer', denied: ['create pods/exec', 'create pods/portforward', 'get pods/exec', 'get pods/portforward'] }],
  ]);
  const server = new ApiServer({ pods, nodes, tokens, tls, metricsApi: !values['no-metrics-api'], requestLog: join(dir, 'requests.log') });
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.all(pods.map((p) => p.stop()));
    await server.close();
    rmSync(kubeconfig, { force: true });
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  };
  cleanup = stop;
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(130));
  process.on('SIGHUP', () => void stop(129));

  for (const pod of pods) pod.start();
  const deadline = Date.now() + 60_000;
  while (!(await Promise.all(nodes.map((n) => healthy(n.ip)))).every(Boolean)) {
    const dead = pods.find((p) => p.exit);
    if (dead) throw new Error(`${dead.name} exited: ${dead.logs.slice(-5).map((l) => l.text).join(' | ')}`);
    if (Date.now() > deadline) throw new Error('the etcd members did not become healthy within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }

  const port = values.port ? Number(values.port) : (await freePorts(1))[0] as number;
  await server.listen('127.0.0.1', port);

  const ca = Buffer.from(tls.ca).toString('base64');
  writeAtomically(join(dir, 'sandbox.json'), JSON.stringify({
    server: `https://127.0.0.1:${port}`,
    nodes: nodes.map((n, i) => ({
      ...n, pod: pods[i]?.name, pid: (pods[i] as unknown as { process?: { pid?: number } }).process?.pid,
      clientUrl: `https://${n.ip}:2379`, metricsUrl: `http://${n.ip}:2381`,
      pki: { ca: join(n.root, 'etc/kubernetes/pki/etcd/ca.crt'), cert: join(n.root, 'etc/kubernetes/pki/apiserver-etcd-client.crt'), key: join(n.root, 'etc/kubernetes/pki/apiserver-etcd-client.key') },
      manifest: pods[i]?.manifestPath,
    })),
  }, null, 2));
  writeAtomically(kubeconfig, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': ca } }],
    users: [{ name: 'kubernetes-admin', user: { token: adminToken } }, { name: 'viewer', user: { token: viewerToken } }],
    contexts: [
      { name: 'kubernetes-admin@sandbox', context: { cluster: 'sandbox', user: 'kubernetes-admin' } },
      { name: 'viewer@sandbox', context: { cluster: 'sandbox', user: 'viewer', namespace: 'kube-system' } },
    ],
    'current-context': 'kubernetes-admin@sandbox',
  }));
  process.stderr.write(`sandbox ready: ${count} etcd pods (${nodes.map((n) => `${n.name} ${n.ip}`).join(', ')}), API server https://127.0.0.1:${port}\n`
    + `kubeconfig: ${kubeconfig}\nfolder: ${dir}\nstop with Ctrl-C or SIGTERM\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`k8s:sandbox: ${(error as Error).message}\n`);
  void cleanup(1);
});
