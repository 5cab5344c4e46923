// A fresh look at the cluster for maintenance: the snapshot `check` reads (status, health, alarms, metrics), refusing
// with UnreachableError when no member answers at all.

import { collectCluster } from '../collect/cluster.ts';
import type { ClusterSnapshot, MemberSnapshot } from '../collect/types.ts';
import type { ConnectionOptions } from '../connect/options.ts';
import { UnreachableError } from '../util/errors.ts';

export async function readCluster(connection: ConnectionOptions): Promise<ClusterSnapshot> {
  const snapshot = await collectCluster(connection, { windowMs: 0 });
  if (snapshot.members.every((m) => !m.status)) {
    const reasons = snapshot.members.map((m) => `${m.endpoint}: ${m.error ?? m.statusError ?? 'no answer'}`).join('; ');
    throw new UnreachableError(`no member reachable: ${reasons}`);
  }
  return snapshot;
}

export function memberName(member: MemberSnapshot): string {
  return member.member.name || member.endpoint;
}

/** The leader most members agree on, or undefined. */
export function leaderOf(snapshot: ClusterSnapshot): MemberSnapshot | undefined {
  const votes = new Map<string, number>();
  for (const m of snapshot.members) {
    const id = m.status?.leaderId;
    if (id && id !== '0') votes.set(id, (votes.get(id) ?? 0) + 1);
  }
  const [leaderId] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return snapshot.members.find((m) => m.member.id === leaderId);
}

export function currentRevision(snapshot: ClusterSnapshot): number {
  return Math.max(0, ...snapshot.members.map((m) => m.status?.revision ?? 0));
}
