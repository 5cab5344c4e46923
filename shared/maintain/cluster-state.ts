// A fresh look at the cluster for maintenance: the snapshot `check` reads (status, health, alarms, metrics), refusing
// when no member answers at all (why, as check says it: credentials, RBAC, or unreachable).

import { failureError, nothingAnswered } from '../analyse/members.ts';
import { collectCluster } from '../collect/cluster.ts';
import type { ClusterSnapshot } from '../collect/types.ts';
import type { ConnectionOptions } from '../connect/types.ts';

export async function readCluster(connection: ConnectionOptions): Promise<ClusterSnapshot> {
  const snapshot = await collectCluster(connection, { windowMs: 0 });
  if (snapshot.members.every((m) => !m.status)) {
    const failure = nothingAnswered(snapshot.members.map((m) => ({ endpoint: m.endpoint, error: m.error ?? m.statusError ?? null })));
    if (failure) throw failureError(failure);
  }
  return snapshot;
}
