// The Kubernetes transport: each member is reached through its own pod, by running the pod's etcdctl with the pod's own
// certificates (`-w json`, ids kept exact) and by reading its metrics URL through port-forward. It gives the collectors
// and maintenance the same MemberOps as gRPC does, so `check`, `maintain` and the rest give the same results.

import { input, UsageError } from '../../util/errors.ts';
import { hexId, int64 as int } from '../ids.ts';
import { sameUrl } from '../options.ts';
import type {
  Alarm, ConnectionOptions, DeploymentReading, HttpReply, LockAttempt, MemberInfo, MemberOps, MemberStatus, NodeSnapshot, PodLog,
  Transport,
} from '../types.ts';
import { apiClient, execInPod, getThroughPortForward, httpThroughPortForward, type KubeApi } from './api.ts';
import { readDeployment, readPodLogs } from './deployment.ts';
import { etcdPodFrom, type EtcdPod } from './etcd-pod.ts';
import { parseExactJson } from './exact-json.ts';

type Json = Record<string, unknown>;

const ALARM_NAMES: Record<string, string> = { 0: 'NONE', 1: 'NOSPACE', 2: 'CORRUPT' };

function id(value: unknown): string {
  return hexId(value === undefined || value === null ? undefined : String(value));
}

export class KubernetesTransport implements Transport {
  readonly kind = 'kubernetes' as const;
  // etcdctl exec'd in a pod answers in 0.3 to 1 s (API server, kubelet, container runtime): asking every pod at once
  // would triple the execs, and on a busy control plane make them all slower.
  readonly hedgeMs = 1500;

  constructor(readonly api: KubeApi, readonly pods: EtcdPod[], readonly namespace: string, readonly selector: string) {}

  /** The pods as they are now (state, restarts: a check's window may have seen a container restart), read again. */
  async deployment(options: ConnectionOptions): Promise<DeploymentReading> {
    const core = apiClient(this.api, this.api.client.CoreV1Api);
    const now = await core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.selector }).then(
      (list) => list.items.map(etcdPodFrom).filter((p): p is EtcdPod => p !== undefined && this.pods.some((known) => known.name === p.name)),
      () => [] as EtcdPod[],
    );
    return readDeployment(this.api, now.length ? now : this.pods, this.namespace, options.commandTimeoutMs);
  }

  async logs(options: ConnectionOptions, logSeconds: number): Promise<PodLog[]> {
    const read = await readPodLogs(this.api, this.pods, logSeconds, options.commandTimeoutMs);
    return this.pods.map((pod, i) => ({ name: `pod ${pod.namespace}/${pod.name}`, pod: pod.name, ...(read[i] as { text: string } | { error: string }) }));
  }

  podFor(endpoint: string): EtcdPod | undefined {
    return this.pods.find((p) => sameUrl(p.advertiseClientUrl, endpoint) || sameUrl(p.localClientUrl, endpoint));
  }

  private requirePod(endpoint: string): EtcdPod {
    const pod = this.podFor(endpoint);
    if (!pod) throw new Error(`no etcd pod advertises ${endpoint}`);
    return pod;
  }

  async metricsText(endpoint: string, metricsUrl: string, options: ConnectionOptions): Promise<string> {
    const pod = this.requirePod(endpoint);
    if (!pod.metricsUrl) throw new Error(`pod ${pod.name} has no plain-HTTP --listen-metrics-urls (the client port's /metrics needs certificates that stay on the node)`);
    return getThroughPortForward(this.api, pod, metricsUrl, options.commandTimeoutMs);
  }

  async httpGet(endpoint: string, url: string, options: ConnectionOptions): Promise<HttpReply> {
    const pod = this.requirePod(endpoint);
    if (!pod.metricsUrl) throw new Error(`pod ${pod.name} has no plain-HTTP --listen-metrics-urls`);
    return httpThroughPortForward(this.api, pod, url, options.commandTimeoutMs);
  }

  open(endpoint: string, options: ConnectionOptions): MemberOps {
    const pod = this.podFor(endpoint);
    const api = this.api;
    const etcdctl = async (args: string[], timeoutMs = options.commandTimeoutMs, stdin?: string): Promise<string> => {
      if (!pod) throw new Error(`no etcd pod advertises ${endpoint}`);
      if (!pod.running) throw new Error(`pod ${pod.namespace}/${pod.name} is not running (${pod.state})`);
      const command = ['etcdctl', `--endpoints=${pod.localClientUrl}`, ...pod.tlsFlags,
        `--dial-timeout=${options.dialTimeoutMs}ms`, `--command-timeout=${Math.max(1, timeoutMs)}ms`, ...args];
      // The exec itself gets the dial time and a margin on top of etcdctl's own deadline.
      return execInPod(api, pod, command, timeoutMs + options.dialTimeoutMs + 5_000, stdin);
    };
    const json = async (args: string[], timeoutMs?: number, stdin?: string): Promise<Json> =>
      parseExactJson(await etcdctl([...args, '-w', 'json'], timeoutMs, stdin)) as Json;

    const alarms = async (): Promise<Alarm[]> => {
      const response = await json(['alarm', 'list']);
      return ((response.alarms ?? []) as Json[]).map((a) => ({
        memberId: id(a.memberID),
        alarm: ALARM_NAMES[String(a.alarm ?? 0)] ?? String(a.alarm).toUpperCase(),
      }));
    };

    const ops: MemberOps = {
      endpoint,
      reachable: async () => {
        if (!pod) throw new Error(`no etcd pod advertises ${endpoint}`);
        if (!pod.running) throw new Error(`pod ${pod.namespace}/${pod.name} is not running (${pod.state})`);
      },
      status: async (): Promise<MemberStatus> => {
        const [entry] = (await json(['endpoint', 'status'])) as unknown as Json[];
        const status = (entry?.Status ?? {}) as Json;
        const header = (status.header ?? {}) as Json;
        const downgrade = (status.downgradeInfo ?? {}) as Json;
        const quota = int(status.dbSizeQuota);
        return {
          version: String(status.version ?? ''),
          dbSize: int(status.dbSize),
          dbSizeInUse: int(status.dbSizeInUse),
          leaderId: id(status.leader),
          raftTerm: int(status.raftTerm),
          raftIndex: int(status.raftIndex),
          raftAppliedIndex: int(status.raftAppliedIndex),
          errors: (status.errors ?? []) as string[],
          isLearner: status.isLearner === true,
          revision: int(header.revision),
          clusterId: id(header.cluster_id),
          memberId: id(header.member_id),
          storageVersion: typeof status.storageVersion === 'string' && status.storageVersion !== '' ? status.storageVersion : null,
          quotaBytes: quota > 0 ? quota : null,
          downgrade: downgrade.enabled === true ? { targetVersion: String(downgrade.targetVersion ?? '') } : null,
        };
      },
      health: async (learner) => {
        try {
          await etcdctl(['get', 'health', '--limit=1', '--keys-only', ...(learner ? ['--consistency=s'] : [])]);
        } catch (error) {
          if (/permission denied/i.test((error as Error).message)) return;
          throw error;
        }
      },
      alarms,
      memberList: async (): Promise<{ clusterId: string; members: MemberInfo[] }> => {
        const response = await json(['member', 'list']);
        return {
          clusterId: id((response.header as Json | undefined)?.cluster_id),
          members: ((response.members ?? []) as Json[]).map((m) => ({
            id: id(m.ID),
            name: String(m.name ?? ''),
            clientUrls: (m.clientURLs ?? []) as string[],
            peerUrls: (m.peerURLs ?? []) as string[],
            isLearner: m.isLearner === true,
          })),
        };
      },
      compact: async (revision, deadlineMs) => {
        await etcdctl(['compaction', '--physical', String(revision)], deadlineMs - Date.now());
      },
      defragment: async (deadlineMs) => {
        await etcdctl(['defrag'], deadlineMs - Date.now());
      },
      moveLeader: async (targetId) => {
        await etcdctl(['move-leader', targetId]);
      },
      disarmNospace: async (memberId) => {
        // etcdctl disarms every armed alarm at once: never do that while another alarm (CORRUPT) is armed.
        const armed = await alarms();
        const others = armed.filter((a) => a.alarm !== 'NOSPACE');
        if (others.length > 0) {
          throw new Error(`etcdctl can only disarm all alarms at once, and ${others.map((a) => `${a.alarm} (member ${a.memberId})`).join(', ')} must stay armed: disarm NOSPACE of ${memberId} by hand`);
        }
        if (armed.some((a) => a.memberId === memberId)) await etcdctl(['alarm', 'disarm']);
      },
      lock: async (key, value, ttlSeconds): Promise<LockAttempt> => {
        const granted = await json(['lease', 'grant', String(ttlSeconds)]);
        const lease = BigInt(String(granted.ID)).toString(16);
        const quote = (text: string): string => JSON.stringify(text);
        try {
          const txn = await json(['txn'], undefined,
            `create(${quote(key)}) = "0"\n\nput --lease=${lease} ${quote(key)} ${quote(value)}\n\nget ${quote(key)}\n\n`);
          if (txn.succeeded === true) {
            const renew = setInterval(() => {
              etcdctl(['lease', 'keep-alive', '--once', lease]).catch(() => undefined);
            }, Math.max(1, ttlSeconds / 3) * 1000);
            return {
              acquired: true,
              release: async () => {
                clearInterval(renew);
                await etcdctl(['lease', 'revoke', lease]);
              },
            };
          }
          await etcdctl(['lease', 'revoke', lease]).catch(() => undefined);
          const responses = (txn.responses ?? []) as Json[];
          const range = ((responses[0]?.Response as Json | undefined)?.ResponseRange ?? {}) as Json;
          const kv = ((range.kvs ?? []) as Json[])[0];
          return { acquired: false, holder: kv?.value ? Buffer.from(String(kv.value), 'base64').toString('utf8') : '' };
        } catch (error) {
          await etcdctl(['lease', 'revoke', lease]).catch(() => undefined);
          throw error;
        }
      },
      get: async (key) => {
        const kv = ((await json(['get', key])).kvs as Json[] | undefined)?.[0];
        return kv ? Buffer.from(String(kv.value ?? ''), 'base64').toString('utf8') : null;
      },
      // The value on stdin: as an argument, one starting with "-" would read as a flag.
      put: async (key, value) => { await etcdctl(['put', key], undefined, value); },
      snapshotOnNode: async (path, deadlineMs, replace): Promise<NodeSnapshot> => {
        if (!pod) throw new Error(`no etcd pod advertises ${endpoint}`);
        const mount = [...pod.mounts].sort((a, b) => b.mountPath.length - a.mountPath.length)
          .find((m) => path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
        if (!path.startsWith('/') || !mount?.hostPath) {
          throw new UsageError(`${input('onNode')} ${path}: not on a hostPath volume of pod ${pod.name}, so the file would go with the container; `
            + `use a path under ${pod.mounts.filter((m) => m.hostPath).map((m) => m.mountPath).join(' or ') || '(no hostPath volume)'}`, 'onNode');
        }
        // A snapshot file is read by etcdutl (3.5+; etcdctl 3.6 no longer has `snapshot status`), else by etcdctl (3.4).
        const fileStatus = async (): Promise<string> => {
          try {
            return await execInPod(api, pod, ['etcdutl', 'snapshot', 'status', path, '-w', 'json'], options.commandTimeoutMs + 5_000);
          } catch (error) {
            if (!/executable file not found/.test((error as Error).message)) throw error;
            return etcdctl(['snapshot', 'status', path, '-w', 'json']);
          }
        };
        if (!replace) {
          const exists = await fileStatus().then(() => true, () => false);
          if (exists) throw new UsageError(`${path} exists in pod ${pod.name}: choose another name, or ${input('force')} to replace it`);
        }
        await etcdctl(['snapshot', 'save', path], deadlineMs - Date.now());
        const status = parseExactJson(await fileStatus()) as Json;
        return {
          path, node: pod.node, nodePath: `${mount.hostPath.replace(/\/$/, '')}${path.slice(mount.mountPath.replace(/\/$/, '').length)}`,
          bytes: int(status.totalSize), revision: int(status.revision), hash: Number(status.hash ?? 0).toString(16).padStart(8, '0'), keys: int(status.totalKey),
        };
      },
      close: () => undefined,
    };
    return ops;
  }
}
