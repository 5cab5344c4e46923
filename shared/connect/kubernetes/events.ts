// Kubernetes Events on etcd pods: what a maintenance run did to each member, where `kubectl describe pod etcd-...`,
// `kubectl get events` and every event exporter already look. Each event names its member; the pod is found among
// the etcd pods (namespace, selector) by the member's advertised client URL or its --name. Needs list on pods and
// create on events in the etcd namespace; in a pod, its ServiceAccount is used (see api.ts).

import { hostname } from 'node:os';
import type { V1Pod } from '@kubernetes/client-node';
import { sameUrl } from '../options.ts';
import { apiClient, DEFAULT_NAMESPACE, DEFAULT_SELECTOR, explainApiError, loadKubeApi, type KubeFlags } from './api.ts';
import { etcdPodFrom } from './etcd-pod.ts';

export interface MemberEvent {
  member: { name: string; endpoint: string };
  type: 'Normal' | 'Warning';
  /** UpperCamelCase, as Kubernetes reasons are: Defragmented, DefragmentationFailed, MaintenanceRefused. */
  reason: string;
  message: string;
}

/** Posts each event on its member's pod; what could not be posted comes back in words (never thrown). */
export async function postMemberEvents(flags: KubeFlags, env: NodeJS.ProcessEnv, events: readonly MemberEvent[]): Promise<{ posted: string[]; problems: string[] }> {
  const posted: string[] = [];
  const problems: string[] = [];
  if (events.length === 0) return { posted, problems };
  const namespace = flags.namespace || DEFAULT_NAMESPACE;
  let pods: V1Pod[];
  let core;
  try {
    const api = await loadKubeApi(flags, env);
    core = apiClient(api, api.client.CoreV1Api);
    pods = (await core.listNamespacedPod({ namespace, labelSelector: flags.selector || DEFAULT_SELECTOR })).items;
  } catch (error) {
    return { posted, problems: [`no events posted: ${explainApiError(error, `listing the etcd pods in ${namespace}`)}`] };
  }
  const now = new Date();
  for (const event of events) {
    const pod = pods.find((p) => {
      const etcd = etcdPodFrom(p);
      return etcd !== undefined && ((event.member.endpoint !== '' && sameUrl(etcd.advertiseClientUrl, event.member.endpoint)) || etcd.flags.get('name') === event.member.name);
    });
    if (!pod?.metadata?.name) {
      problems.push(`no etcd pod in ${namespace} for member ${event.member.name || event.member.endpoint}: its event was not posted`);
      continue;
    }
    try {
      await core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { generateName: `${pod.metadata.name}.etcd-perf.`, namespace },
          involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace, uid: pod.metadata.uid },
          type: event.type, reason: event.reason, message: event.message,
          source: { component: 'etcd-perf', host: hostname() },
          reportingComponent: 'etcd-perf', reportingInstance: hostname(),
          firstTimestamp: now, lastTimestamp: now, count: 1,
        },
      });
      posted.push(`${event.reason} on pod ${namespace}/${pod.metadata.name}`);
    } catch (error) {
      problems.push(explainApiError(error, `posting event ${event.reason} on pod ${namespace}/${pod.metadata.name}`));
    }
  }
  return { posted, problems };
}
