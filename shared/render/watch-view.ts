// The live view of `watch`, as text: a frame (header, member table, the worst finding) for a terminal redrawn in place,
// or one summary line per interval for a log. Pure: report in, text out.

import { reportFailure, type CheckReport, type MemberReport } from '../analyse/report.ts';
import { formatBytes } from '../util/bytes.ts';
import { formatSecondsAsMs } from '../util/duration.ts';
import { memberState as state, roleCell } from './member-rows.ts';
import { renderTextTable, type Column } from './table.ts';

const WATCH_COLUMNS: Column[] = [
  { header: 'MEMBER', priority: 0 },
  { header: 'ROLE', priority: 1 },
  { header: 'DB SIZE', priority: 0, align: 'right' },
  { header: 'IN USE', priority: 2, align: 'right' },
  { header: 'FRAG', priority: 0, align: 'right' },
  { header: 'FSYNC P99', priority: 0, align: 'right' },
  { header: 'COMMIT P99', priority: 1, align: 'right' },
  { header: 'PROPOSALS/S', priority: 2, align: 'right' },
  { header: 'STATE', priority: 0 },
];

const ms = (seconds: number | null | undefined): string => (seconds === null || seconds === undefined ? '-' : formatSecondsAsMs(seconds));
const perSecond = (value: number | null | undefined): string => (value === null || value === undefined ? '-' : value >= 10 ? String(Math.round(value)) : value.toFixed(1));

/** A quantile measured inside the interval; one from before it (no fsync in the interval) is not news. */
function windowed(q: { value: number; lifetime: boolean } | null | undefined): number | null {
  return q && !q.lifetime ? q.value : null;
}

function worst(report: CheckReport): string {
  const finding = report.findings.find((f) => f.severity === 'crit' || f.severity === 'warn');
  return finding ? `${finding.severity}: ${finding.title}` : 'no warnings';
}

/** A frame of the live view; when no member answered, the frame says why (with field references: say them). */
export function renderWatchFrame(report: CheckReport, options: { width: number; intervalText: string; at: Date }): string[] {
  const failure = reportFailure(report);
  if (failure) return [`etcd-perf watch · ${options.at.toISOString().slice(11, 19)} · ${failure.message}`];
  const leader = report.members.find((m) => m.isLeader);
  const rows = report.members.map((m) => [
    m.name || m.endpoint,
    roleCell(m),
    m.dbSize === null ? '-' : formatBytes(m.dbSize),
    m.dbSizeInUse === null ? '-' : formatBytes(m.dbSizeInUse),
    m.fragmentationPercent === null ? '-' : `${Math.round(m.fragmentationPercent)}%`,
    ms(windowed(m.metrics?.quantiles.walFsync)),
    ms(windowed(m.metrics?.quantiles.backendCommit)),
    perSecond(m.metrics?.proposalsCommittedPerSecond),
    state(m),
  ]);
  const clock = options.at.toISOString().slice(11, 19);
  const header = `${clock} etcd-perf watch · leader ${leader?.name ?? 'none'} · revision ${report.cluster.revision ?? '?'} · cluster ${report.cluster.id ?? '?'}`;
  return [
    header.slice(0, options.width),
    `every ${options.intervalText} · q or Ctrl-C to quit`.slice(0, options.width),
    '',
    ...renderTextTable(WATCH_COLUMNS, rows, options.width).text.split('\n'),
    '',
    `worst: ${worst(report)}`.slice(0, options.width),
  ];
}

/** One line per interval: the cluster at a glance, worst values over the members. */
export function renderWatchLine(report: CheckReport, at: Date): string {
  const failure = reportFailure(report);
  if (failure) return `${at.toISOString()} ${failure.message}`;
  const members = report.members;
  const leader = members.find((m) => m.isLeader);
  const max = (pick: (m: MemberReport) => number | null | undefined): number | null =>
    members.reduce<number | null>((top, m) => { const v = pick(m); return v === null || v === undefined ? top : Math.max(top ?? v, v); }, null);
  const sizes = members.filter((m) => m.dbSize !== null);
  const up = members.filter((m) => state(m) === 'ok').length;
  return [
    at.toISOString(),
    `leader=${leader?.name ?? 'none'}`,
    `up=${up}/${members.length}`,
    `db=${sizes.length ? formatBytes(max((m) => m.dbSize) ?? 0) : '-'}`,
    `frag=${sizes.length ? `${Math.round(max((m) => m.fragmentationPercent) ?? 0)}%` : '-'}`,
    `fsync_p99=${ms(max((m) => windowed(m.metrics?.quantiles.walFsync)))}`.replace(' ', ''),
    `commit_p99=${ms(max((m) => windowed(m.metrics?.quantiles.backendCommit)))}`.replace(' ', ''),
    `proposals_per_s=${perSecond(max((m) => m.metrics?.proposalsCommittedPerSecond))}`,
    `worst="${worst(report).replace(/"/g, "'")}"`,
  ].join(' ');
}
