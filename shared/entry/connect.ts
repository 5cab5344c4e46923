// How every command reaches etcd, for both doors: the members' endpoints directly (etcdctl's flags, the ETCDCTL_*
// environment filling what is not given), or the etcd pods of a Kubernetes cluster through its API server (a
// kubeconfig and context, kubectl's way). Unless told which, endpoints win when given (or in ETCDCTL_ENDPOINTS), then a
// usable kubeconfig, then the default endpoint.

import { DEFAULT_NAMESPACE, DEFAULT_SELECTOR, kubeconfigFiles, loadKubeApi, type KubeFlags } from '../connect/kubernetes/api.ts';
import { DEFAULT_ENDPOINT, DEFAULT_TIMEOUTS, resolveConnectionOptions, type ConnectionFlags } from '../connect/options.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import type { Logger } from '../ports.ts';
import { input, UsageError } from '../util/errors.ts';

export const CONNECTION_DEFAULTS = {
  endpoint: DEFAULT_ENDPOINT, namespace: DEFAULT_NAMESPACE, selector: DEFAULT_SELECTOR, dialTimeout: DEFAULT_TIMEOUTS.dial, commandTimeout: DEFAULT_TIMEOUTS.command,
} as const;

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
  const via = request.via ?? (direct || (!kubeAsked && kubeconfigFiles(kube, env).length === 0) ? 'endpoints' : 'kubernetes');
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
