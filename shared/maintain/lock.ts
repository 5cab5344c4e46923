// One maintenance at a time per cluster: a key under a lease, holding who took it. The lease is revoked on release and
// expires by itself (TTL) if the holder dies, so a crash never leaves the cluster locked for long.
// A cluster in NOSPACE takes no writes, lock included: the caller is told, and proceeds with a warning.

import { hostname, userInfo } from 'node:os';
import { openMember } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
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

function refusal(error: unknown): LockOutcome {
  const cause = describeError(error);
  if (/database space exceeded|NOSPACE/i.test(cause)) return { state: 'unavailable', reason: `the cluster takes no writes (NOSPACE): ${cause}` };
  throw new Error(`cannot take the maintenance lock: ${cause}`);
}

export async function acquireMaintenanceLock(endpoint: string, connection: ConnectionOptions, command: string): Promise<LockOutcome> {
  const member = openMember(endpoint, connection);
  const holder: LockHolder = {
    tool: 'etcd-perf', host: hostname(), pid: process.pid, user: currentUser(), command, since: new Date().toISOString(),
  };
  let attempt;
  try {
    attempt = await member.lock(LOCK_KEY, JSON.stringify(holder), TTL_SECONDS);
  } catch (error) {
    member.close();
    return refusal(error);
  }
  if (attempt.acquired) {
    const { release } = attempt;
    return {
      state: 'acquired',
      release: async () => {
        try {
          await release();
        } finally {
          member.close();
        }
      },
    };
  }
  member.close();
  try {
    return { state: 'held', holder: JSON.parse(attempt.holder) as LockHolder };
  } catch {
    return { state: 'held', holder: attempt.holder || 'unknown holder' };
  }
}
