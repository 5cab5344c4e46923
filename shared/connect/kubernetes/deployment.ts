// What the API server knows about the etcd pods beyond etcd itself, read for `check`: the pod specs (flags, resources,
// volumes), restarts, their events, their nodes' memory, their CPU and memory from the metrics API (when served: said
// plainly when not); and, apart, their logs over the last `logSeconds`. Each read may fail on its own (RBAC, no
// metrics-server): the failure is recorded and the rest is still used.

import { parseQuantity } from '../../util/quantity.ts';
import type { DeploymentReading, PodEventSummary, PodFacts } from '../types.ts';
import { apiClient, explainApiError, type KubeApi } from './api.ts';
import type { EtcdPod } from './etcd-pod.ts';

interface PodMetricsList {
  items?: { metadata?: { name?: string }; containers?: { name: string; usage?: { cpu?: string; memory?: string } }[] }[];
}

function explainUsage(error: unknown, namespace: string): string {
  const code = (error as { code?: unknown }).code;
  if (code === 404 || code === 503) return 'the metrics API (metrics.k8s.io) is not served by this cluster: pod CPU and memory unknown (install metrics-server to see them)';
  return explainApiError(error, `reading pod metrics (metrics.k8s.io) in ${namespace}`);
}

/** The API server's answer, or a rejection once `timeoutMs` has passed without one. */
function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return Promise.race([promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)}s`)), timeoutMs).unref())]);
}

/** Each etcd pod's log over the last `logSeconds`, or why it could not be read. */
export function readPodLogs(api: KubeApi, pods: EtcdPod[], logSeconds: number, timeoutMs: number): Promise<Array<{ text: string } | { error: string }>> {
  const core = apiClient(api, api.client.CoreV1Api);
  return Promise.all(pods.map((pod) => within(
    core.readNamespacedPodLog({ name: pod.name, namespace: pod.namespace, container: pod.container, sinceSeconds: logSeconds }), timeoutMs,
  ).then((text) => ({ text: String(text) }), (error: unknown) => ({ error: explainApiError(error, `reading the log of ${pod.name}`) }))));
}

export async function readDeployment(api: KubeApi, pods: EtcdPod[], namespace: string, timeoutMs: number): Promise<DeploymentReading> {
  const core = apiClient(api, api.client.CoreV1Api);
  const bounded = <T>(promise: Promise<T>): Promise<T> => within(promise, timeoutMs);
  const nodes = [...new Set(pods.map((p) => p.node).filter(Boolean))];
  const [events, nodeMemory, usage] = await Promise.all([
    bounded(core.listNamespacedEvent({ namespace })).then((list) => ({ items: list.items }), (error: unknown) => ({ error: explainApiError(error, `listing events in ${namespace}`) })),
    Promise.all(nodes.map((name) => bounded(core.readNode({ name })).then(
      (node) => [name, parseQuantity(node.status?.capacity?.memory)] as const,
      (error: unknown) => ({ error: explainApiError(error, `reading node ${name}`) }),
    ))),
    // Through the generated client, not client-node's Metrics: a real API server answers an API group it does not serve
    // with a plain-text 404, which Metrics reports as a JSON parse failure (HTTP 500) instead.
    bounded(apiClient(api, api.client.CustomObjectsApi).listNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', namespace, plural: 'pods' }) as Promise<PodMetricsList>)
      .then((list) => ({ list }), (error: unknown) => ({ error: explainUsage(error, namespace) })),
  ]);
  const memoryOf = new Map(nodeMemory.filter((n): n is readonly [string, number | undefined] => Array.isArray(n)));
  const nodesError = nodeMemory.find((n): n is { error: string } => !Array.isArray(n))?.error;
  const facts: PodFacts[] = pods.map((pod) => {
    const podEvents: PodEventSummary[] = 'items' in events
      ? events.items.filter((e) => e.involvedObject.name === pod.name).map((e) => ({
        type: e.type ?? 'Normal', reason: e.reason ?? '', message: e.message ?? '', count: e.count ?? 1,
        last: (e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp)?.toISOString?.() ?? undefined,
      }))
      : [];
    const metrics = 'list' in usage ? usage.list.items?.find((m) => m.metadata?.name === pod.name)?.containers?.find((c) => c.name === pod.container) : undefined;
    return {
      pod: pod.name,
      namespace: pod.namespace,
      node: pod.node,
      member: pod.flags.get('name') ?? '',
      endpoint: pod.advertiseClientUrl,
      running: pod.running,
      state: pod.state,
      restarts: pod.restarts,
      lastTermination: pod.lastTermination,
      flags: Object.fromEntries(pod.flags),
      resources: pod.resources,
      mounts: pod.mounts,
      nodeMemoryBytes: memoryOf.get(pod.node),
      usage: metrics?.usage ? { cpuCores: parseQuantity(metrics.usage.cpu) ?? 0, memoryBytes: parseQuantity(metrics.usage.memory) ?? 0 } : undefined,
      events: podEvents,
    };
  });
  return {
    kind: 'kubernetes',
    context: api.context,
    namespace,
    pods: facts,
    usageError: 'error' in usage ? usage.error : undefined,
    eventsError: 'error' in events ? events.error : undefined,
    nodesError,
  };
}

