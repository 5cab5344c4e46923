// The member table as rows of strings, shared by the text table and Markdown (the model is etcdctl's
// makeEndpointStatusTable: one pure rows builder, many printers).

import type { CheckReport, MemberReport } from '../analyse/report.ts';
import { formatBytes } from '../util/bytes.ts';
import { formatSecondsAsMs } from '../util/duration.ts';
import { input } from '../util/errors.ts';
import type { Column } from './table.ts';

export const MEMBER_COLUMNS: Column[] = [
  { header: 'MEMBER', priority: 0 },
  { header: 'ENDPOINT', priority: 1 },
  { header: 'ID', priority: 6 },
  { header: 'VERSION', priority: 4 },
  { header: 'DB SIZE', priority: 0, align: 'right' },
  { header: 'IN USE', priority: 2, align: 'right' },
  { header: 'FRAG', priority: 0, align: 'right' },
  { header: 'LEADER', priority: 3 },
  { header: 'RAFT INDEX', priority: 5, align: 'right' },
  { header: 'ERRORS', priority: 0 },
];

export const POD_COLUMNS: Column[] = [
  { header: 'POD', priority: 0 },
  { header: 'NODE', priority: 2 },
  { header: 'STATE', priority: 0 },
  { header: 'RESTARTS', priority: 1, align: 'right' },
  { header: 'CPU', priority: 0, align: 'right' },
  { header: 'MEMORY', priority: 0, align: 'right' },
  { header: 'WARNINGS', priority: 1, align: 'right' },
];

/** The etcd pods, when the members were reached through Kubernetes (CPU and memory from the metrics API). */
export function podRows(report: CheckReport): string[][] {
  return (report.kubernetes?.pods ?? []).map((p) => [
    p.pod, p.node, p.state, String(p.restarts),
    p.cpuCores === null ? '-' : `${Math.round(p.cpuCores * 1000)}m`,
    p.memoryBytes === null ? '-' : formatBytes(p.memoryBytes),
    String(p.warningEvents),
  ]);
}

/** A member's state in one word: unreachable, unhealthy, its alarms, or ok. */
export function memberState(m: MemberReport): string {
  if (m.role === 'down') return 'unreachable';
  if (!m.healthy) return 'unhealthy';
  return m.alarms.length > 0 ? m.alarms.join(',') : 'ok';
}

/** The member's role for a table ("-" when it is down: the state says why). */
export function roleCell(m: MemberReport): string {
  return m.role === 'down' ? '-' : m.role;
}

export function memberRows(report: CheckReport): string[][] {
  return report.members.map((m) => [
    m.name || '?',
    m.endpoint.replace(/^http:\/\//, ''),
    m.id || '?',
    m.version ?? '-',
    m.dbSize === null ? '-' : formatBytes(m.dbSize),
    m.dbSizeInUse === null ? '-' : formatBytes(m.dbSizeInUse),
    m.fragmentationPercent === null ? '-' : `${Math.round(m.fragmentationPercent)}%`,
    roleCell(m),
    m.raftIndex === null ? '-' : String(m.raftIndex),
    memberState(m) === 'ok' ? '-' : memberState(m),
  ]);
}

/**
 * A member in one line ("db 294 MiB · frag 62% · leader", or why it is down) and in detail, one fact a line: who it is,
 * its version, sizes, quota use, raft index and lag, fsync and commit p99; for a member down, its error and what to
 * check (as field references: each door says them in its words).
 */
export function memberSummary(m: MemberReport): { headline: string; details: string[] } {
  const name = m.name || m.endpoint;
  if (m.role === 'down') {
    const check = m.failure?.check.length ? ` (check ${m.failure.check.map(input).join(' and ')})` : '';
    return { headline: m.error ?? 'unreachable', details: [`${name} (${m.id || '?'})`, m.endpoint, `error: ${m.error ?? 'no answer'}${check}`] };
  }
  const p99 = (what: string, seconds: number | null | undefined): string => (seconds == null ? `${what} p99 unknown` : `${what} p99 ${formatSecondsAsMs(seconds)}`);
  return {
    headline: `db ${formatBytes(m.dbSize ?? 0)} · frag ${Math.round(m.fragmentationPercent ?? 0)}%${m.role === 'leader' ? ' · leader' : ''}`,
    details: [
      `${name} (${m.id || '?'})${m.role === 'follower' ? '' : ` — ${m.role}`}`,
      m.endpoint,
      `etcd ${m.version ?? '?'}`,
      `DB ${formatBytes(m.dbSize ?? 0)}, in use ${formatBytes(m.dbSizeInUse ?? 0)} (${(m.fragmentationPercent ?? 0).toFixed(1)}% fragmented)`,
      m.quotaBytes ? `quota ${formatBytes(m.quotaBytes)}: ${(((m.dbSize ?? 0) / m.quotaBytes) * 100).toFixed(1)}% used` : 'quota unknown',
      `raft index ${m.raftIndex ?? '?'}, applied ${m.raftAppliedIndex ?? '?'} (lag ${m.applyLag ?? '?'})`,
      p99('WAL fsync', m.metrics?.walFsyncP99Seconds),
      p99('backend commit', m.metrics?.backendCommitP99Seconds),
    ],
  };
}
