// Facts about the members, each worked out here and only here: who leads (the leader most members name), the highest
// committed index and how far each member's applied index lags it, each member's role (leader, follower, learner or
// down), why a member could not be read and what to check, which member a user's selector names, and the cluster's
// revision, and the quota each member applies. The report model carries them; renderers, the tree, the planner and the snapshot code read them. Pure.

import type { MemberStatus } from '../connect/types.ts';
import type { ClusterSnapshot, MemberSnapshot } from '../collect/types.ts';
import { input, UnreachableError, UsageError, type Field } from '../util/errors.ts';
import { THRESHOLDS } from './thresholds.ts';

export type MemberRole = 'leader' | 'follower' | 'learner' | 'down';

export function memberName(m: MemberSnapshot): string {
  return m.member.name || m.endpoint;
}

/** A member answered when its status or its health read came back. */
export function answered(m: MemberSnapshot): boolean {
  return m.status !== undefined || m.healthy;
}

/** The members whose status came back (with their sizes and raft indexes). */
export function withStatus(members: readonly MemberSnapshot[]): Array<MemberSnapshot & { status: MemberStatus }> {
  return members.filter((m): m is MemberSnapshot & { status: MemberStatus } => m.status !== undefined);
}

/** The leader most members name (by id), or null when none names one. */
export function agreedLeaderId(members: ReadonlyArray<{ status?: { leaderId: string } }>): string | null {
  const votes = new Map<string, number>();
  for (const m of members) if (m.status && m.status.leaderId !== '0') votes.set(m.status.leaderId, (votes.get(m.status.leaderId) ?? 0) + 1);
  return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** The member the agreed leader id belongs to, when it is one of the members read. */
export function leaderOf(snapshot: ClusterSnapshot): MemberSnapshot | undefined {
  const id = agreedLeaderId(snapshot.members);
  return id === null ? undefined : snapshot.members.find((m) => m.member.id === id);
}

/** Where a cluster-wide request (compaction, the lock, disarming an alarm) goes: the leader, else a healthy member, else any that answered. */
export function servingMember(snapshot: ClusterSnapshot): MemberSnapshot | undefined {
  return leaderOf(snapshot) ?? snapshot.members.find((m) => m.healthy) ?? snapshot.members.find((m) => m.status);
}

/** The highest raft index any member reports: what every member should have applied. */
export function highestCommitted(members: readonly MemberSnapshot[]): number {
  return Math.max(0, ...withStatus(members).map((m) => m.status.raftIndex));
}

/** Entries committed but not yet applied by this member; null when its status is unknown. */
export function applyLag(m: MemberSnapshot, committed: number): number | null {
  return m.status ? Math.max(0, committed - m.status.raftAppliedIndex) : null;
}

export function roleOf(m: MemberSnapshot, leaderId: string | null): MemberRole {
  if (!answered(m)) return 'down';
  if (m.status?.isLearner ?? m.member.isLearner) return 'learner';
  return leaderId !== null && m.member.id === leaderId ? 'leader' : 'follower';
}

/** The share of the DB file that is free space left by compaction (what a defragmentation gives back). */
export interface Quota {
  bytes: number;
  /** Where the figure comes from: the member's status (3.6+), its etcd_server_quota_backend_bytes, or etcd's default. */
  source: 'status' | 'metrics' | 'default';
}

/** The backend quota a member applies: from its status (3.6+), else its metrics, else etcd's 2 GiB default. */
export function quotaOf(m: MemberSnapshot): Quota {
  if (m.status?.quotaBytes) return { bytes: m.status.quotaBytes, source: 'status' };
  if (m.metrics?.quotaBytes) return { bytes: m.metrics.quotaBytes, source: 'metrics' };
  return { bytes: THRESHOLDS.defaultQuotaBytes, source: 'default' };
}

/** A member's own quota, or null when neither its status nor its metrics say it. */
export function knownQuota(m: MemberSnapshot): number | null {
  const quota = quotaOf(m);
  return quota.source === 'default' ? null : quota.bytes;
}

/** What a defragmentation would give back: the free pages of the DB file. */
export function freeableBytes(dbSize: number, inUse: number): number {
  return Math.max(0, dbSize - inUse);
}

/** The DB file's size as a percentage of the quota the member applies (etcd's default when it does not say). */
export function quotaUsedPercent(m: MemberSnapshot): number | null {
  return m.status ? (m.status.dbSize / quotaOf(m).bytes) * 100 : null;
}

export function fragmentationPercent(dbSize: number, inUse: number): number {
  return dbSize > 0 ? Math.max(0, ((dbSize - inUse) / dbSize) * 100) : 0;
}

/** The newest revision any member reports. */
export function clusterRevision(members: readonly MemberSnapshot[]): number | null {
  const revisions = withStatus(members).map((m) => m.status.revision);
  return revisions.length ? Math.max(...revisions) : null;
}

export type FailureCause = 'auth' | 'forbidden' | 'tls' | 'timeout' | 'refused' | 'not-etcd' | 'other';

/** Why a member could not be read, as a kind of cause, and which of the user's inputs to check. */
export interface MemberFailure {
  cause: FailureCause;
  check: Field[];
}

/** What a member's error says went wrong. */
export function failureOf(message: string): MemberFailure {
  const text = message.replace(/^(unreachable|status|health): /, '');
  if (/authentication failed|invalid auth token|user name is empty|user name not found|invalid user ID or password/i.test(text)) {
    return { cause: 'auth', check: ['user', 'password'] };
  }
  if (/^forbidden: /.test(text)) return { cause: 'forbidden', check: [] };
  if (/^TLS: /.test(text)) {
    if (/client certificate/.test(text)) return { cause: 'tls', check: ['cert', 'key'] };
    if (/not trusted/.test(text)) return { cause: 'tls', check: ['cacert'] };
    return { cause: 'tls', check: [] };
  }
  if (/timed out|no answer within|deadline exceeded/i.test(text)) return { cause: 'timeout', check: [] };
  if (/connection refused/i.test(text)) return { cause: 'refused', check: [] };
  if (/not an etcd gRPC endpoint|serves no etcd metrics/.test(text)) return { cause: 'not-etcd', check: [] };
  return { cause: 'other', check: [] };
}

/** "check {user} and {password}": the inputs to look at, as field references. */
function checkHint(check: Field[]): string {
  return check.length ? `; check ${check.map(input).join(' and ')}` : '';
}

/** Why nothing answered: bad credentials and RBAC refusals are the user's to fix (usage); the rest is unreachable. */
export interface ClusterFailure {
  kind: 'credentials' | 'forbidden' | 'unreachable';
  /** One line, with field references (sayInWords). */
  message: string;
}

/** When not one member answered, why, in one line; undefined when some did. */
export function nothingAnswered(members: ReadonlyArray<{ endpoint: string; error: string | null }>): ClusterFailure | undefined {
  if (members.length === 0) return { kind: 'unreachable', message: 'no member reachable: no endpoint' };
  const errors = members.map((m) => {
    const cause = (m.error ?? 'no answer').replace(/^(unreachable|status|health): /, '');
    return { endpoint: m.endpoint, cause, failure: failureOf(cause) };
  });
  const endpoints = errors.map((e) => e.endpoint).join(', ');
  const first = errors[0] as (typeof errors)[number];
  if (errors.every((e) => e.failure.cause === 'auth')) return { kind: 'credentials', message: `${first.cause} (${endpoints})${checkHint(first.failure.check)}` };
  if (errors.every((e) => e.failure.cause === 'forbidden')) return { kind: 'forbidden', message: first.cause };
  const reasons = new Set(errors.map((e) => e.cause)).size === 1
    ? `${endpoints}: ${first.cause}${checkHint(first.failure.check)}`
    : errors.map((e) => `${e.endpoint}: ${e.cause}${checkHint(e.failure.check)}`).join('; ');
  return { kind: 'unreachable', message: `no member reachable: ${reasons}` };
}

/** The failure as the error a door turns into its exit code: the user's to fix (usage), or no member reachable. */
export function failureError(failure: ClusterFailure): Error {
  return failure.kind === 'unreachable' ? new UnreachableError(failure.message) : new UsageError(failure.message);
}

/** What a member can be named by: its name, its id (hex, with or without 0x), host:port or a client URL. */
export interface Selectable {
  name: string;
  id: string;
  endpoint: string;
  clientUrls?: string[];
}

const normalUrl = (url: string): string => url.trim().replace(/\/+$/, '').replace('://localhost:', '://127.0.0.1:').toLowerCase();
const hostPort = (url: string): string => normalUrl(url).replace(/^[a-z]+:\/\//, '');

/** Whether `selector` names this member. */
export function selects(member: Selectable, selector: string): boolean {
  const s = selector.trim().toLowerCase();
  if (s === '') return false;
  const urls = [member.endpoint, ...(member.clientUrls ?? [])].filter(Boolean);
  return member.name.toLowerCase() === s || (member.id !== '' && member.id === s.replace(/^0x/, ''))
    || urls.some((u) => normalUrl(u) === normalUrl(s) || hostPort(u) === hostPort(s));
}

/** The member `selector` names (each seen through `as`); a usage error naming the members there are when none is. */
export function findMember<T>(members: readonly T[], selector: string, as: (m: T) => Selectable, field: Field = 'member'): T {
  const found = members.find((m) => selects(as(m), selector));
  if (found === undefined) {
    throw new UsageError(`${input(field)} ${selector}: no such member (members: ${members.map((m) => as(m).name || as(m).endpoint).join(', ')})`, field);
  }
  return found;
}

/** A member snapshot as something a selector can name. */
export function selectable(m: MemberSnapshot): Selectable {
  return { name: m.member.name, id: m.member.id, endpoint: m.endpoint, clientUrls: m.member.clientUrls };
}
