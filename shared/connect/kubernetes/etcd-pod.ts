// An etcd pod as the plugin needs it, read from the pod object the API server returns: which container runs etcd, its
// flags (command and args, `--name=value` or `--name value`), where etcdctl inside the pod should connect and with
// which certificates, the metrics URL, and whether the container is running. Pure: pod object in, model out.

import type { V1Pod } from '@kubernetes/client-node';

export interface EtcdPod {
  name: string;
  namespace: string;
  node: string;
  container: string;
  image: string;
  /** Running and ready; otherwise `state` says why not. */
  running: boolean;
  state: string;
  restarts: number;
  /** Why the container last ended (OOMKilled, Error, ...), when it has restarted. */
  lastTermination?: string;
  flags: Map<string, string>;
  /** The URL etcdctl uses inside the pod: a loopback client URL when the member listens on one. */
  localClientUrl: string;
  /** The member's advertised client URL: how the member list knows it. */
  advertiseClientUrl: string;
  /** etcdctl's TLS flags with the pod's own files (empty for plain HTTP). */
  tlsFlags: string[];
  /** The plain-HTTP metrics URL inside the pod (--listen-metrics-urls), if any. */
  metricsUrl?: string;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  /** Volumes mounted into the etcd container: mount path -> where it comes from (hostPath path, or the volume kind). */
  mounts: { mountPath: string; source: string; hostPath?: string }[];
}

const isEtcd = (word: string | undefined): boolean => word !== undefined && /(^|\/)etcd$/.test(word);

export function parseFlags(words: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < words.length; i += 1) {
    const m = /^--?([a-z0-9-]+)(?:=(.*))?$/.exec(words[i] as string);
    if (!m) continue;
    if (m[2] !== undefined) {
      flags.set(m[1] as string, m[2]);
    } else if (words[i + 1] !== undefined && !(words[i + 1] as string).startsWith('-')) {
      flags.set(m[1] as string, words[i + 1] as string);
      i += 1;
    } else {
      flags.set(m[1] as string, 'true');
    }
  }
  return flags;
}

function isLoopback(url: string): boolean {
  try {
    return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

function containerState(pod: V1Pod, container: string): { running: boolean; state: string } {
  const status = pod.status?.containerStatuses?.find((s) => s.name === container);
  if (pod.metadata?.deletionTimestamp) return { running: false, state: 'Terminating' };
  if (!status) return { running: false, state: pod.status?.phase ?? 'Unknown' };
  if (status.state?.running && status.ready) return { running: true, state: 'Running' };
  if (status.state?.running) return { running: true, state: 'Running, not ready' };
  const why = status.state?.waiting?.reason ?? status.state?.terminated?.reason ?? pod.status?.phase ?? 'Unknown';
  return { running: false, state: why };
}

/** The pod's etcd container as an EtcdPod, or undefined when no container runs etcd. */
export function etcdPodFrom(pod: V1Pod): EtcdPod | undefined {
  const container = pod.spec?.containers.find((c) => isEtcd(c.command?.[0]) || (c.command === undefined && /etcd/.test(c.image ?? '')));
  if (!container) return undefined;
  const words = [...(container.command ?? []).slice(isEtcd(container.command?.[0]) ? 1 : 0), ...(container.args ?? [])];
  const flags = parseFlags(words);
  const listen = (flags.get('listen-client-urls') ?? 'http://localhost:2379').split(',').map((u) => u.trim()).filter(Boolean);
  const advertise = (flags.get('advertise-client-urls') ?? listen[0] ?? 'http://localhost:2379').split(',')[0]?.trim() as string;
  const local = listen.find(isLoopback) ?? advertise;
  const secure = local.startsWith('https://');
  const tlsFlags = secure ? [
    ...(flags.get('trusted-ca-file') ? [`--cacert=${flags.get('trusted-ca-file')}`] : []),
    ...(flags.get('cert-file') ? [`--cert=${flags.get('cert-file')}`] : []),
    ...(flags.get('key-file') ? [`--key=${flags.get('key-file')}`] : []),
  ] : [];
  const metrics = (flags.get('listen-metrics-urls') ?? '').split(',').map((u) => u.trim()).find((u) => u.startsWith('http://'));
  const status = pod.status?.containerStatuses?.find((s) => s.name === container.name);
  const volumes = pod.spec?.volumes ?? [];
  const mounts = (container.volumeMounts ?? []).map((m) => {
    const volume = volumes.find((v) => v.name === m.name);
    const source = volume?.hostPath ? 'hostPath' : Object.keys(volume ?? {}).find((k) => k !== 'name') ?? 'unknown';
    return { mountPath: m.mountPath, source, hostPath: volume?.hostPath?.path };
  });
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    node: pod.spec?.nodeName ?? '',
    container: container.name,
    image: container.image ?? '',
    ...containerState(pod, container.name),
    restarts: status?.restartCount ?? 0,
    lastTermination: status?.lastState?.terminated?.reason,
    flags,
    localClientUrl: local.replace(/\/+$/, ''),
    advertiseClientUrl: advertise.replace(/\/+$/, ''),
    tlsFlags,
    metricsUrl: metrics ? `${metrics.replace(/\/+$/, '')}/metrics` : undefined,
    resources: {
      requests: (container.resources?.requests ?? {}) as Record<string, string>,
      limits: (container.resources?.limits ?? {}) as Record<string, string>,
    },
    mounts,
  };
}
