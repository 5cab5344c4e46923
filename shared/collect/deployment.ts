// How the members are deployed, for `check` through Kubernetes: what the API server says of the etcd pods (specs,
// state, events, nodes, usage) and each pod's log over the last `logSeconds`, read beside each other and put together,
// each log parsed into its signs of trouble. A transport that cannot tell (gRPC) gives nothing.

import { transportOf } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { parseEtcdLog, summariseEvents } from './etcd-log.ts';
import type { DeploymentFacts, PodWithLog } from './types.ts';

export async function readDeploymentFacts(options: ConnectionOptions, logSeconds: number): Promise<DeploymentFacts | undefined> {
  const transport = transportOf(options);
  if (!transport.deployment) return undefined;
  const [reading, logs] = await Promise.all([transport.deployment(options), transport.logs?.(options, logSeconds) ?? []]);
  const pods = reading.pods.map((pod): PodWithLog => {
    const log = logs.find((l) => l.pod === pod.pod);
    if (!log) return pod;
    if ('error' in log) return { ...pod, logError: log.error };
    const parsed = parseEtcdLog(log.text);
    return { ...pod, log: summariseEvents(parsed.events, parsed.lines, parsed.format), logEvents: parsed.events };
  });
  return { ...reading, pods, logSeconds };
}
