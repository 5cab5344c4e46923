// Discovery: the etcd pods of a Kubernetes cluster (namespace and label selector, kubeadm's by default), read from the
// API server, as connection options whose transport reaches each member through its pod. The endpoints are the
// members' advertised client URLs (how the member list knows them); metrics come from each pod's metrics URL.

import type { V1Pod } from '@kubernetes/client-node';
import { input, UnreachableError, UsageError } from '../../util/errors.ts';
import type { ConnectionOptions } from '../types.ts';
import { apiClient, DEFAULT_NAMESPACE, DEFAULT_SELECTOR, explainApiError, loadKubeApi, type KubeFlags } from './api.ts';
import { etcdPodFrom, type EtcdPod } from './etcd-pod.ts';
import { KubernetesTransport } from './transport.ts';
import { compareNames } from '../../util/names.ts';

export interface KubernetesConnection {
  options: ConnectionOptions;
  pods: EtcdPod[];
  context: string;
  namespace: string;
  selector: string;
}

export async function connectKubernetes(
  flags: KubeFlags, timeouts: { dialTimeoutMs: number; commandTimeoutMs: number }, env: NodeJS.ProcessEnv = process.env,
): Promise<KubernetesConnection> {
  const api = await loadKubeApi(flags, env);
  const namespace = flags.namespace || DEFAULT_NAMESPACE;
  const selector = flags.selector || DEFAULT_SELECTOR;
  const core = apiClient(api, api.client.CoreV1Api);
  let items: V1Pod[];
  try {
    items = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items;
  } catch (error) {
    const message = explainApiError(error, `listing pods in ${namespace} (context ${api.context}, ${api.server})`);
    const status = (error as { code?: unknown }).code;
    if (typeof status === 'number') throw new UsageError(message, 'context');
    throw new UnreachableError(message);
  }
  const pods = items.map(etcdPodFrom).filter((p): p is EtcdPod => p !== undefined)
    .sort((a, b) => compareNames(a.name, b.name));
  if (pods.length === 0) {
    const found = items.length ? `${items.length} pods matched, none runs etcd` : 'no pods matched';
    throw new UsageError(`no etcd pods found with selector ${selector} in namespace ${namespace} (context ${api.context}): ${found}; try ${input('namespace')} and ${input('selector')}`);
  }
  return {
    options: {
      endpoints: pods.map((p) => p.advertiseClientUrl),
      metricsUrls: pods.map((p) => p.metricsUrl ?? `${p.localClientUrl}/metrics`),
      tls: { skipVerify: false },
      dialTimeoutMs: timeouts.dialTimeoutMs,
      commandTimeoutMs: timeouts.commandTimeoutMs,
      discover: true,
      transport: new KubernetesTransport(api, pods, namespace, selector),
    },
    pods,
    context: api.context,
    namespace,
    selector,
  };
}
