// The gRPC transport: each member through its own etcd3 client (one per endpoint, one channel for all its services),
// metrics over HTTP(S) from the member's metrics URL.

import { AlarmAction, AlarmType } from 'etcd3';
import { decimalId } from '../ids.ts';
import type { SnapshotChunk, Transport } from '../types.ts';
import { httpGet, httpGetText } from './http.ts';
import { dial, openMemberClient } from './member-client.ts';
import { readAlarms, readHealth, readMemberList, readStatus } from './rpc.ts';

interface SnapshotStream extends NodeJS.EventEmitter {
  cancel(): void;
}

export const grpcTransport: Transport = {
  kind: 'grpc',
  // A member answers in a few milliseconds over gRPC.
  hedgeMs: 150,
  open(endpoint, options) {
    const member = openMemberClient(endpoint, options);
    const etcd = member.client;
    return {
      endpoint,
      reachable: () => dial(endpoint, options),
      status: () => readStatus(member, options.commandTimeoutMs),
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
      get: async (key) => etcd.get(key).string(),
      put: async (key, value) => { await etcd.put(key).value(value); },
      streamSnapshot: async (onChunk, signal) => {
        const stream = (await etcd.maintenance.snapshot()) as unknown as SnapshotStream;
        await new Promise<void>((resolve, reject) => {
          const abort = (): void => {
            stream.cancel();
            reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
          };
          if (signal.aborted) abort();
          signal.addEventListener('abort', abort, { once: true });
          const settle = (error?: Error): void => {
            signal.removeEventListener('abort', abort);
            if (error) reject(error);
            else resolve();
          };
          stream.on('data', (message: { header?: { revision?: string }; remaining_bytes?: string; blob?: Buffer }) => {
            const remaining = Number(message.remaining_bytes ?? 'NaN');
            const chunk: SnapshotChunk = {
              blob: message.blob ?? Buffer.alloc(0),
              remainingBytes: Number.isFinite(remaining) ? remaining : null,
              revision: Number(message.header?.revision ?? 0),
            };
            try {
              onChunk(chunk);
            } catch (error) {
              stream.cancel();
              settle(error as Error);
            }
          });
          stream.on('error', (error: Error) => settle(error));
          stream.on('end', () => settle());
        });
      },
      close: () => member.close(),
    };
  },
  metricsText: (_endpoint, metricsUrl, options) => httpGetText(metricsUrl, options),
  httpGet: (_endpoint, url, options) => httpGet(url, options),
};
