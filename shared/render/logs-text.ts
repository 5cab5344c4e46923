// `logs` as text: one row per source with the count of each sign ("≥103": at least, zap's sampling dropped some),
// the slowest requests, the per-minute timeline and the findings.

import type { LogsReport } from '../analyse/logs.ts';
import type { LogEventKind } from '../collect/etcd-log.ts';
import { renderTextTable, wrap } from './table.ts';
import { formatLoggedMs } from '../util/duration.ts';

const KINDS: Array<[LogEventKind, string]> = [
  ['slow-apply', 'SLOW REQ'], ['slow-fdatasync', 'SLOW SYNC'], ['heartbeat-late', 'LATE HB'], ['leader-lost', 'LOST LEADER'],
  ['leader-elected', 'ELECTED'], ['sending-buffer-full', 'BUFFER FULL'], ['nospace', 'NOSPACE'], ['compaction', 'COMPACT'], ['defrag', 'DEFRAG'],
];

export function renderLogsText(report: LogsReport, width: number): string {
  const table = renderTextTable(
    [{ header: 'SOURCE', priority: 0 }, { header: 'LINES', priority: 1, align: 'right' }, { header: 'FORMAT', priority: 9 },
      ...KINDS.map(([, header], i) => ({ header, priority: 2 + i, align: 'right' as const }))],
    report.sources.map((s) => [s.name, String(s.lines), s.format, ...KINDS.map(([kind]) => `${s.events[kind]?.lowerBound ? '≥' : ''}${s.events[kind]?.count ?? 0}`)]),
    width,
  ).text;
  const lines = [table];
  if (report.sources.some((s) => KINDS.some(([kind]) => s.events[kind]?.lowerBound))) {
    lines.push(wrap('≥ at least: zap sampled these lines (past 100 of one message in a second it keeps every 100th), so more happened than the log shows', width, '  '));
  }
  if (report.slowestRequests.length) {
    lines.push('', 'slowest requests');
    for (const r of report.slowestRequests) {
      lines.push(wrap(`${formatLoggedMs(r.ms)}${r.expectedMs !== null ? ` (expected ${formatLoggedMs(r.expectedMs)})` : ''}  ${r.time ?? '-'}  ${r.source}: ${r.request}`, width, '    ').replace(/^ {4}/, '  '));
    }
  }
  if (report.timeline.length) {
    lines.push('', 'per minute (UTC)');
    for (const { minute, ...counts } of report.timeline) {
      lines.push(`  ${minute.replace('T', ' ')}  ${Object.entries(counts).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
    }
  }
  const shown = report.findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info');
  lines.push('', shown.length ? 'Findings' : 'Findings: nothing slow or failing in these logs');
  for (const f of shown) {
    lines.push(`${f.severity.toUpperCase().padEnd(4)}  ${f.title}`, wrap(f.evidence, width, '      '));
    if (f.recommendation) lines.push(wrap(`→ ${f.recommendation}`, width, '      '));
  }
  return `${lines.join('\n')}\n`;
}
