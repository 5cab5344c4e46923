// kubeadm's etcd layout for the sandbox's control-plane nodes: per node, a root folder standing for the node's disk, with
// /etc/kubernetes/pki/etcd (one etcd CA; server, peer and healthcheck-client certificates as kubeadm makes them, server
// and peer for both server and client auth), /etc/kubernetes/pki/apiserver-etcd-client.*, /var/lib/etcd, and the
// static pod manifest /etc/kubernetes/manifests/etcd.yaml with kubeadm's flags. Certificates come from the real openssl.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { atLeast, etcdVersion } from '../harness/etcd.ts';

export interface SandboxNode {
  name: string;
  /** The node's address; also its loopback inside the sandbox (the member's 127.0.0.1 is rewritten to it). */
  ip: string;
  /** The folder that stands for this node's filesystem root. */
  root: string;
}

/** The image tag kubeadm would use for the etcd under test. */
export const ETCD_IMAGE = `registry.k8s.io/etcd:${etcdVersion()}-0`;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(dir: string, name: string, subject: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', subject,
    '-keyout', `${name}.key`, '-out', `${name}.crt`, '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign']);
}

function makeLeaf(dir: string, caDir: string, name: string, subject: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', join(caDir, 'ca.crt'), '-CAkey', join(caDir, 'ca.key'),
    '-CAcreateserial', '-days', '365', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
}

/** One etcd CA for the cluster (in `caDir`), copied to every node with that node's own leaf certificates. */
export function makeNodePki(caDir: string, node: SandboxNode): void {
  const etcdPki = join(node.root, 'etc/kubernetes/pki/etcd');
  mkdirSync(etcdPki, { recursive: true });
  for (const file of ['ca.crt', 'ca.key']) copyFileSync(join(caDir, file), join(etcdPki, file));
  const sans = `subjectAltName=DNS:${node.name},DNS:localhost,IP:${node.ip},IP:127.0.0.1,IP:0:0:0:0:0:0:0:1\n`;
  makeLeaf(etcdPki, caDir, 'server', `/CN=${node.name}`, `${sans}extendedKeyUsage=serverAuth,clientAuth\n`);
  makeLeaf(etcdPki, caDir, 'peer', `/CN=${node.name}`, `${sans}extendedKeyUsage=serverAuth,clientAuth\n`);
  makeLeaf(etcdPki, caDir, 'healthcheck-client', '/O=system:masters/CN=kube-etcd-healthcheck-client', 'extendedKeyUsage=clientAuth\n');
  makeLeaf(join(node.root, 'etc/kubernetes/pki'), caDir, 'apiserver-etcd-client', '/O=system:masters/CN=kube-apiserver-etcd-client', 'extendedKeyUsage=clientAuth\n');
  mkdirSync(join(node.root, 'var/lib/etcd'), { recursive: true, mode: 0o700 });
}

export function makeEtcdCa(dir: string): void {
  mkdirSync(dir, { recursive: true });
  makeCa(dir, 'ca', '/CN=etcd-ca');
}

/**
 * kubeadm's etcd static pod for one member of a stacked control plane (kubeadm 1.34's flags, one per line; as kubeadm,
 * the feature gate and plain flag for an etcd 3.6+ image, the --experimental-* spellings before).
 */
export function etcdManifest(node: SandboxNode, nodes: SandboxNode[], extraFlags: string[] = []): Record<string, unknown> {
  const modern = atLeast('3.6.0');
  const flags = [
    `--advertise-client-urls=https://${node.ip}:2379`,
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    '--client-cert-auth=true',
    '--data-dir=/var/lib/etcd',
    modern ? '--feature-gates=InitialCorruptCheck=true' : '--experimental-initial-corrupt-check=true',
    modern ? '--watch-progress-notify-interval=5s' : '--experimental-watch-progress-notify-interval=5s',
    `--initial-advertise-peer-urls=https://${node.ip}:2380`,
    `--initial-cluster=${nodes.map((n) => `${n.name}=https://${n.ip}:2380`).join(',')}`,
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
    `--listen-client-urls=https://127.0.0.1:2379,https://${node.ip}:2379`,
    '--listen-metrics-urls=http://127.0.0.1:2381',
    `--listen-peer-urls=https://${node.ip}:2380`,
    `--name=${node.name}`,
    '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
    '--peer-client-cert-auth=true',
    '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
    '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    '--snapshot-count=10000',
    '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    ...extraFlags,
  ].sort();
  const probe = (path: string, failureThreshold: number) => ({
    failureThreshold,
    httpGet: { host: '127.0.0.1', path, port: 2381, scheme: 'HTTP' },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    successThreshold: 1,
    timeoutSeconds: 15,
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${node.ip}:2379` },
      creationTimestamp: null,
      labels: { component: 'etcd', tier: 'control-plane' },
      name: 'etcd',
      namespace: 'kube-system',
    },
    spec: {
      containers: [{
        command: ['etcd', ...flags],
        image: ETCD_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        livenessProbe: probe('/health?exclude=NOSPACE&serializable=true', 8),
        name: 'etcd',
        resources: { requests: { cpu: '100m', memory: '100Mi' } },
        startupProbe: probe('/health?serializable=false', 24),
        volumeMounts: [
          { mountPath: '/var/lib/etcd', name: 'etcd-data' },
          { mountPath: '/etc/kubernetes/pki/etcd', name: 'etcd-certs' },
        ],
      }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: [
        { hostPath: { path: '/etc/kubernetes/pki/etcd', type: 'DirectoryOrCreate' }, name: 'etcd-certs' },
        { hostPath: { path: '/var/lib/etcd', type: 'DirectoryOrCreate' }, name: 'etcd-data' },
      ],
    },
    status: {},
  };
}

/** Writes the manifest where kubeadm does, and returns its text. */
export function writeManifest(node: SandboxNode, manifest: Record<string, unknown>): string {
  const dir = join(node.root, 'etc/kubernetes/manifests');
  mkdirSync(dir, { recursive: true });
  const text = stringify(manifest);
  writeFileSync(join(dir, 'etcd.yaml'), text);
  return text;
}
