// One maintenance at a time per cluster: a key under a lease, holding who took it. The lease is revoked on release and
// expires by itself (TTL) if the holder dies, so a crash never leaves the cluster locked for long.
// A cluster in NOSPACE takes no writes, lock included: the caller is told, and proceeds with a warning.

import { hostname, userInfo } from 'node:os';
import { openMemberClient } from '../connect/member-client.ts';
import type { ConnectionOptions } from '../connect/options.ts';
import { describeError } from '../util/errors.ts';

export const LOCK_KEY = '/etcd-perf/maintenance-lock';
const TTL_SECONDS = 15;

export interface LockHolder {
  tool: string;
  host: string;
  pid: number;
  user: string;
  command: string;
  since: string;
}

export type LockOutcome =
  | { state: 'acquired'; release(): Promise<void> }
  | { state: 'held'; holder: LockHolder | string }
  | { state: 'unavailable'; reason: string };

export function describeHolder(holder: LockHolder | string): string {
  if (typeof holder === 'string') return holder;
  return `${holder.tool} run by ${holder.user}@${holder.host} (pid ${holder.pid}) since ${holder.since}: ${holder.command}`;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function acquireMaintenanceLock(endpoint: string, connection: ConnectionOptions, command: string): Promise<LockOutcome> {
  const member = openMemberClient(endpoint, connection);
  const etcd = member.client;
  const lease = etcd.lease(TTL_SECONDS);
  lease.on('lost', () => undefined);
  let leaseId: string;
  try {
    leaseId = await lease.grant();
  } catch (error) {
    member.close();
    const cause = describeError(error);
    if (/database space exceeded|NOSPACE/i.test(cause)) return { state: 'unavailable', reason: `the cluster takes no writes (NOSPACE): ${cause}` };
    throw new Error(`cannot take the maintenance lock: ${cause}`);
  }
  const holder: LockHolder = {
    tool: 'etcd-perf', host: hostname(), pid: process.pid, user: currentUser(), command, since: new Date().toISOString(),
  };
  try {
    const txn = await etcd.if(LOCK_KEY, 'Create', '==', 0)
      .then(etcd.put(LOCK_KEY).value(JSON.stringify(holder)).lease(leaseId))
      .else(etcd.get(LOCK_KEY))
      .commit();
    if (txn.succeeded) {
      return {
        state: 'acquired',
        release: async () => {
          try {
            await lease.revoke();
          } finally {
            member.close();
          }
        },
      };
    }
    const value = txn.responses[0]?.response_range?.kvs[0]?.value?.toString() ?? '';
    await lease.revoke().catch(() => undefined);
    member.close();
    try {
      return { state: 'held', holder: JSON.parse(value) as LockHolder };
    } catch {
      return { state: 'held', holder: value || 'unknown holder' };
    }
  } catch (error) {
    await lease.revoke().catch(() => undefined);
    member.close();
    const cause = describeError(error);
    if (/database space exceeded|NOSPACE/i.test(cause)) return { state: 'unavailable', reason: `the cluster takes no writes (NOSPACE): ${cause}` };
    throw new Error(`cannot take the maintenance lock: ${cause}`);
  }
}
