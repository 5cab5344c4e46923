// Per-member RPCs through that member's own client: status, a linearizable health read, alarms and the member list.
// int64/uint64 fields arrive as decimal strings: they are converted here, once (ids.ts).

import { AlarmAction, AlarmType, type Etcd3 } from 'etcd3';
import { hexId, int64 as int } from '../ids.ts';
import type { Alarm, MemberInfo, MemberStatus } from '../types.ts';
import type { MemberClient } from './member-client.ts';
import { decodeStatusResponse, MAINTENANCE_STATUS } from './wire.ts';

/** Status, decoded here from etcd's own field numbers: etcd3's proto predates 3.6's quota, storage version and downgrade. */
export async function readStatus(member: MemberClient, commandTimeoutMs: number): Promise<MemberStatus> {
  const response = decodeStatusResponse(await member.unary(MAINTENANCE_STATUS, Buffer.alloc(0), Date.now() + commandTimeoutMs));
  const quota = int(response.dbSizeQuota);
  return {
    version: response.version,
    dbSize: int(response.dbSize),
    dbSizeInUse: int(response.dbSizeInUse),
    leaderId: hexId(response.leader),
    raftTerm: int(response.raftTerm),
    raftIndex: int(response.raftIndex),
    raftAppliedIndex: int(response.raftAppliedIndex),
    errors: response.errors ?? [],
    isLearner: response.isLearner === true,
    revision: int(response.header.revision),
    clusterId: hexId(response.header.cluster_id),
    memberId: hexId(response.header.member_id),
    storageVersion: response.storageVersion || null,
    quotaBytes: quota > 0 ? quota : null,
    downgrade: response.downgradeInfo?.enabled ? { targetVersion: response.downgradeInfo.targetVersion } : null,
  };
}

/**
 * etcdctl's endpoint health: a read of key "health" through raft (linearizable; serializable on a learner, which
 * cannot serve linearizable reads). Permission denied still proves the member answers through consensus.
 */
export async function readHealth(client: Etcd3, learner: boolean): Promise<void> {
  try {
    await client.kv.range({ key: Buffer.from('health'), serializable: learner, limit: '1' });
  } catch (error) {
    if (/permission denied/i.test((error as Error).message)) return;
    throw error;
  }
}

export async function readAlarms(client: Etcd3): Promise<Alarm[]> {
  const response = await client.maintenance.alarm({ action: AlarmAction.Get, memberID: '0', alarm: AlarmType.None });
  // etcd3's proto spells the values Nospace and Corrupt; etcd and etcdctl say NOSPACE and CORRUPT.
  return (response.alarms ?? []).map((a) => ({ memberId: hexId(a.memberID), alarm: String(a.alarm).toUpperCase() }));
}

export async function readMemberList(client: Etcd3): Promise<{ clusterId: string; members: MemberInfo[] }> {
  const response = await client.cluster.memberList({});
  return {
    clusterId: hexId(response.header.cluster_id),
    members: response.members.map((m) => ({
      id: hexId(m.ID),
      name: m.name,
      clientUrls: m.clientURLs ?? [],
      peerUrls: m.peerURLs ?? [],
      isLearner: m.isLearner === true,
    })),
  };
}
