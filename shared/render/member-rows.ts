// The member table as rows of strings, shared by the text table and Markdown (the model is etcdctl's
// makeEndpointStatusTable: one pure rows builder, many printers).

import type { CheckReport, MemberReport } from '../analyse/report.ts';
import { formatBytes } from '../util/bytes.ts';
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
