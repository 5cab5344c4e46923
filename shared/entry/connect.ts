// How every command reaches etcd, for both doors: the members' endpoints directly (etcdctl's flags, the ETCDCTL_*
// environment filling what is not given), or the etcd pods of a Kubernetes cluster through its API server (a
// kubeconfig and context, kubectl's way, or in a pod its ServiceAccount). Unless told which, endpoints win when given
// (or in ETCDCTL_ENDPOINTS), then a usable kubeconfig, then a pod's ServiceAccount, then the default endpoint.

import { DEFAULT_NAMESPACE, DEFAULT_SELECTOR, inCluster, kubeconfigFiles, loadKubeApi, type KubeFlags } from '../connect/kubernetes/api.ts';
import { DEFAULT_ENDPOINT, DEFAULT_TIMEOUTS, resolveConnectionOptions, type ConnectionFlags } from '../connect/options.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import type { Logger } from '../ports.ts';
import { input, UsageError } from '../util/errors.ts';
import type { InputSpec } from '../util/input.ts';

/** How to reach etcd: etcdctl's connection flags (the ETCDCTL_* environment fills what is not given), or kubectl's. */
export const CONNECTION_INPUTS: ReadonlyArray<InputSpec<keyof ConnectionFlags | keyof KubeFlags>> = [
  { name: 'endpoints', value: 'list', help: `comma-separated member endpoints, host:port or http(s)://host:port (env ETCDCTL_ENDPOINTS; default ${DEFAULT_ENDPOINT})` },
  { name: 'cacert', value: 'file', help: 'CA bundle to verify members\' certificates (env ETCDCTL_CACERT)' },
  { name: 'cert', value: 'file', help: 'client certificate (env ETCDCTL_CERT)' },
  { name: 'key', value: 'file', help: 'client private key (env ETCDCTL_KEY)' },
  { name: 'user', value: 'name[:password]', help: 'etcd user for auth-enabled clusters (env ETCDCTL_USER)' },
  { name: 'password', value: 'password', help: `password for ${input('user')} (env ETCDCTL_PASSWORD); never printed` },
  { name: 'insecureSkipTlsVerify', help: 'accept any server certificate (env ETCDCTL_INSECURE_SKIP_TLS_VERIFY)' },
  { name: 'dialTimeout', value: 'duration', help: `time to connect to a member (env ETCDCTL_DIAL_TIMEOUT; default ${DEFAULT_TIMEOUTS.dial})` },
  { name: 'commandTimeout', value: 'duration', help: `deadline of each request to a member (env ETCDCTL_COMMAND_TIMEOUT; default ${DEFAULT_TIMEOUTS.command})` },
  { name: 'metricsUrls', value: 'list', help: 'metrics URLs, one per endpoint in the same order (default: each member\'s client URL + /metrics)' },
  { name: 'discover', onByDefault: true, help: 'use only the given endpoints instead of every member in the member list' },
  { name: 'kubeconfig', value: 'file', help: 'go through this kubeconfig\'s cluster: etcdctl in each etcd pod, metrics by port-forward (env KUBECONFIG; default ~/.kube/config)' },
  { name: 'context', value: 'name', help: 'kubeconfig context (default: the current context)' },
  { name: 'namespace', value: 'name', help: `namespace of the etcd pods (default ${DEFAULT_NAMESPACE})` },
  { name: 'selector', value: 'labels', help: `label selector of the etcd pods (default ${DEFAULT_SELECTOR})` },
];

export interface ConnectionRequest extends ConnectionFlags, KubeFlags {
  /** Which way: decided from what is given when absent. */
  via?: 'endpoints' | 'kubernetes';
}

export async function connect(request: ConnectionRequest, env: NodeJS.ProcessEnv, logger?: Logger): Promise<ConnectionOptions> {
  const kube: KubeFlags = { kubeconfig: request.kubeconfig, context: request.context, namespace: request.namespace, selector: request.selector };
  const direct = Boolean(request.endpoints || env.ETCDCTL_ENDPOINTS);
  const kubeAsked = Object.values(kube).some((v) => v !== undefined);
  if (direct && kubeAsked) {
    throw new UsageError(`${input('endpoints')} and the Kubernetes connection (${input('kubeconfig')}, ${input('context')}, ${input('namespace')}, ${input('selector')}) exclude each other: give one or the other`, 'endpoints');
  }
  const base = resolveConnectionOptions(request, env);
  const via = request.via ?? (direct || (!kubeAsked && kubeconfigFiles(kube, env).length === 0 && !inCluster(kube, env)) ? 'endpoints' : 'kubernetes');
  if (via === 'endpoints') return base;
  const { connectKubernetes } = await import('../connect/kubernetes/connect.ts');
  const found = await connectKubernetes(kube, base, env);
  logger?.info(`through Kubernetes (context ${found.context}): ${found.pods.length} etcd pods in ${found.namespace} (${found.selector}): ${found.pods.map((p) => p.name).join(', ')}`);
  return found.options;
}

/** The contexts of the kubeconfig kubectl would read (KUBECONFIG, then ~/.kube/config), and the current one. */
export async function kubeContexts(env: NodeJS.ProcessEnv): Promise<{ current: string; contexts: Array<{ name: string; cluster: string }> }> {
  const api = await loadKubeApi({}, env);
  return { current: api.context, contexts: api.config.getContexts().map((c) => ({ name: c.name, cluster: c.cluster })) };
}
