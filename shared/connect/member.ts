// A member's operations, whatever carries them: gRPC through the member's own etcd3 client (direct endpoints, below),
// or etcdctl run in the member's pod through the Kubernetes API (connect/kubernetes/). The collectors and maintenance
// reach members only through this, so both transports give the same results.

import { AlarmAction, AlarmType } from 'etcd3';
import { readAlarms, readHealth, readMemberList, readStatus } from '../collect/rpc.ts';
import type { Alarm, DeploymentFacts, MemberInfo, MemberStatus } from '../collect/types.ts';
import { httpGetText } from './http.ts';
import { dial, openMemberClient } from './member-client.ts';
import type { ConnectionOptions } from './options.ts';

export type LockAttempt = { acquired: true; release(): Promise<void> } | { acquired: false; holder: string };

/** A snapshot written where the member runs (Kubernetes: inside its pod, on the node's disk through a hostPath). */
export interface NodeSnapshot {
  /** The path inside the pod, and where that is on the node. */
  path: string;
  node: string;
  nodePath: string;
  bytes: number;
  revision: number;
  /** etcdctl snapshot status' hash of the saved database (it opened and read it). */
  hash: string;
  keys: number;
}

export interface MemberOps {
  readonly endpoint: string;
  /** Fails fast, with a precise cause, when the member cannot be reached at all. */
  reachable(): Promise<void>;
  status(): Promise<MemberStatus>;
  /** etcdctl's endpoint health: a linearizable read (serializable on a learner). */
  health(learner: boolean): Promise<void>;
  alarms(): Promise<Alarm[]>;
  memberList(): Promise<{ clusterId: string; members: MemberInfo[] }>;
  /** Physical compaction to `revision` (the call returns once this member has compacted). */
  compact(revision: number, deadlineMs: number): Promise<void>;
  defragment(deadlineMs: number): Promise<void>;
  /** Asked of the leader: hand leadership to the member with this (hex) id. */
  moveLeader(targetId: string): Promise<void>;
  /** Disarms NOSPACE for the member with this (hex) id. */
  disarmNospace(memberId: string): Promise<void>;
  /** Puts `key` = `value` under a lease of `ttlSeconds` kept alive until release, unless the key exists. */
  lock(key: string, value: string, ttlSeconds: number): Promise<LockAttempt>;
  /** Only where the member's own machine can hold the file (Kubernetes): save a snapshot there and verify it. */
  snapshotOnNode?(path: string, deadlineMs: number, replace: boolean): Promise<NodeSnapshot>;
  close(): void;
}

export interface Transport {
  readonly kind: 'grpc' | 'kubernetes';
  open(endpoint: string, options: ConnectionOptions): MemberOps;
  /** The text of a member's /metrics (the member known by its client endpoint). */
  metricsText(endpoint: string, metricsUrl: string, options: ConnectionOptions): Promise<string>;
  /** How the members are deployed, read beside the members themselves (`check` only), when the transport can tell. */
  deployment?(options: ConnectionOptions, logSeconds: number): Promise<DeploymentFacts>;
  /** The members' own logs over the last `logSeconds`, when the transport can read them (Kubernetes). */
  logs?(options: ConnectionOptions, logSeconds: number): Promise<PodLog[]>;
}

/** One member's log as read through its pod, or why it could not be read. */
export type PodLog = { name: string } & ({ text: string } | { error: string });

/** etcd's uint64 ids as the decimal strings etcd3's wire types take. */
export function decimalId(hex: string): string {
  return BigInt(`0x${hex}`).toString();
}

export const grpcTransport: Transport = {
  kind: 'grpc',
  open(endpoint, options) {
    const member = openMemberClient(endpoint, options);
    const etcd = member.client;
    return {
      endpoint,
      reachable: () => dial(endpoint, options),
      status: () => readStatus(etcd),
      health: (learner) => readHealth(etcd, learner),
      alarms: () => readAlarms(etcd),
      memberList: () => readMemberList(etcd),
      compact: async (revision, deadlineMs) => { await etcd.kv.compact({ revision, physical: true }, { deadline: deadlineMs }); },
      defragment: async (deadlineMs) => { await etcd.maintenance.defragment({ deadline: deadlineMs }); },
      moveLeader: async (targetId) => { await etcd.maintenance.moveLeader({ targetID: decimalId(targetId) }); },
      disarmNospace: async (memberId) => {
        await etcd.maintenance.alarm({ action: AlarmAction.Deactivate, memberID: decimalId(memberId), alarm: AlarmType.Nospace });
      },
      lock: async (key, value, ttlSeconds) => {
        const lease = etcd.lease(ttlSeconds);
        lease.on('lost', () => undefined);
        const leaseId = await lease.grant();
        try {
          const txn = await etcd.if(key, 'Create', '==', 0)
            .then(etcd.put(key).value(value).lease(leaseId))
            .else(etcd.get(key))
            .commit();
          if (txn.succeeded) return { acquired: true, release: () => lease.revoke() };
          await lease.revoke().catch(() => undefined);
          return { acquired: false, holder: txn.responses[0]?.response_range?.kvs[0]?.value?.toString() ?? '' };
        } catch (error) {
          await lease.revoke().catch(() => undefined);
          throw error;
        }
      },
      close: () => member.close(),
    };
  },
  metricsText: (_endpoint, metricsUrl, options) => httpGetText(metricsUrl, options),
};

export function transportOf(options: ConnectionOptions): Transport {
  return options.transport ?? grpcTransport;
}

/** The member behind `endpoint`, through the connection's transport. Close it in `finally`. */
export function openMember(endpoint: string, options: ConnectionOptions): MemberOps {
  return transportOf(options).open(endpoint, options);
}
