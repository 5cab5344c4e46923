// `status` and `check` as Markdown, for pasting into an incident or a ticket.

import type { CheckReport } from '../report.ts';
import { timingSentence } from './check-text.ts';
import { MEMBER_COLUMNS, memberRows } from './member-rows.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(headers: string[], rows: string[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function renderStatusMarkdown(report: CheckReport): string {
  const leader = report.members.find((m) => m.isLeader);
  return [
    `## etcd cluster ${report.cluster.id ?? '?'}`,
    '',
    `${report.cluster.memberCount} member${report.cluster.memberCount === 1 ? '' : 's'} · leader ${leader ? leader.name : 'none'} · revision ${report.cluster.revision ?? '?'}`,
    '',
    table(MEMBER_COLUMNS.map((c) => c.header), memberRows(report)),
    '',
  ].join('\n');
}

export function renderCheckMarkdown(report: CheckReport): string {
  const shown = report.findings.filter((f) => f.severity !== 'ok');
  const v = report.verdict;
  return [
    renderStatusMarkdown(report),
    `### Verdict: ${v.status}${v.bottleneck !== 'none' ? ` (likely bottleneck: ${v.bottleneck})` : ''}`,
    '',
    v.summary,
    '',
    `### Findings (${shown.length} to look at, ${report.findings.length - shown.length} checks passed)`,
    '',
    shown.length
      ? table(['Severity', 'Member', 'Finding', 'Evidence', 'Recommendation'],
        shown.map((f) => [f.severity, f.member ?? '', f.title, f.evidence, f.recommendation]))
      : 'Nothing to look at.',
    '',
    ...(report.network.pairs.length ? [
      '### Network',
      '',
      table(['From', 'To', 'RTT p50', 'RTT p99', 'Probes'], report.network.pairs.map((p) => [p.from, p.to, p.p50Ms === null ? '-' : `${p.p50Ms} ms`, `${p.p99Ms} ms`, `${p.probes}${p.lifetime ? ' (lifetime)' : ''}`])),
      '',
      timingSentence(report) ?? '',
      '',
    ] : []),
    `_Metrics: ${report.window.lifetime ? 'lifetime counters (--window 0)' : `last ${report.window.seconds}s${report.window.from ? ` from ${report.window.from}` : ''}`}; collected ${report.collectedAt}._`,
    '',
  ].join('\n');
}
