// `status` and `check` as Markdown, for pasting into an incident or a ticket.

import type { CheckReport } from '../analyse/report.ts';
import { formatBytes } from '../util/bytes.ts';
import { formatLoggedMs } from '../util/duration.ts';
import { TIMELINE_KINDS } from './html-sections.ts';
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

/** check --deep: the groups by bytes (the ten largest) and the largest key. */
function keyspaceMarkdown(report: CheckReport): string[] {
  const keyspace = report.keyspace;
  if (!keyspace) return [];
  if ('error' in keyspace) return ['### What fills etcd', '', `The keyspace was not walked: ${keyspace.error}`, ''];
  const share = (bytes: number): string => (keyspace.totalBytes > 0 ? `${((bytes / keyspace.totalBytes) * 100).toFixed(1)}%` : '-');
  const groups = [...keyspace.prefixes].sort((a, b) => b.bytes - a.bytes);
  const largest = keyspace.largestKeys[0];
  return [
    '### What fills etcd',
    '',
    `${keyspace.partial ? '**Partial (interrupted).** ' : ''}${keyspace.totalKeys} keys, ${formatBytes(keyspace.totalBytes)} (keys + values) under \`${keyspace.prefix}\` at revision ${keyspace.revision}${groups.length > 10 ? `; the 10 largest of ${groups.length} groups` : ''}.`,
    '',
    table(['Prefix', 'Keys', 'Bytes', 'Share', 'Largest'], groups.slice(0, 10).map((p) => [p.prefix, String(p.keys), formatBytes(p.bytes), share(p.bytes), formatBytes(p.largestBytes)])),
    '',
    ...(largest ? [`Largest key: \`${largest.key}\` (${formatBytes(largest.bytes)}).`, ''] : []),
  ];
}

/** The logs read (pods through Kubernetes, --log files): each source's counts, and the five slowest requests. */
function logsMarkdown(report: CheckReport): string[] {
  const logs = report.logs;
  if (!logs) return [];
  const kinds = TIMELINE_KINDS.filter(([kind]) => logs.sources.some((s) => s.events[kind]));
  return [
    '### Slow events in the logs',
    '',
    table(['Source', 'Lines', ...kinds.map(([, label]) => label)], logs.sources.map((s) => [s.name, String(s.lines), ...kinds.map(([kind]) => `${s.events[kind]?.lowerBound ? '≥' : ''}${s.events[kind]?.count ?? 0}`)])),
    '',
    ...(logs.slowestRequests.length ? [
      table(['Took', 'Expected', 'Time', 'Source', 'Request'], logs.slowestRequests.slice(0, 5).map((r) => [formatLoggedMs(r.ms), r.expectedMs === null ? '-' : formatLoggedMs(r.expectedMs), r.time ?? '-', r.source, `\`${r.request.replace(/`/g, "'")}\``])),
      '',
    ] : []),
  ];
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
    ...keyspaceMarkdown(report),
    ...logsMarkdown(report),
    `_Metrics: ${report.window.lifetime ? 'lifetime counters (--window 0)' : `last ${report.window.seconds}s${report.window.from ? ` from ${report.window.from}` : ''}`}; collected ${report.collectedAt}._`,
    '',
  ].join('\n');
}
