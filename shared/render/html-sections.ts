// The report's sections beyond the members: what fills the keyspace (a bar chart of bytes by resource, the largest
// keys) and what the logs say over time (a stacked timeline of the signs of trouble, the slowest requests). Inline SVG,
// no script; shared by `report` and the extension's report view through html.ts.

import type { LogEventKind } from '../collect/etcd-log.ts';
import type { CheckReport } from '../analyse/report.ts';
import { formatBytes } from '../util/bytes.ts';
import { formatLoggedMs } from '../util/duration.ts';

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const shorten = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** Bars for the largest groups; the rest summed in one "other" bar so the chart stays readable. */
const BARS = 12;

function keyspaceChart(prefixes: Array<{ prefix: string; keys: number; bytes: number }>, totalBytes: number): string {
  const sorted = [...prefixes].sort((a, b) => b.bytes - a.bytes);
  const shown = sorted.slice(0, BARS);
  const rest = sorted.slice(BARS);
  if (rest.length) {
    shown.push({ prefix: `other (${rest.length} prefixes)`, keys: rest.reduce((n, p) => n + p.keys, 0), bytes: rest.reduce((n, p) => n + p.bytes, 0) });
  }
  const max = Math.max(1, ...shown.map((p) => p.bytes));
  const rowHeight = 24;
  const rows = shown.map((p, i) => {
    const y = i * rowHeight + 6;
    const width = (p.bytes / max) * 300;
    const share = totalBytes > 0 ? ` · ${((p.bytes / totalBytes) * 100).toFixed(1)}%` : '';
    return `<g class="bar"><text x="0" y="${y + 13}">${escapeHtml(shorten(p.prefix, 44))}<title>${escapeHtml(p.prefix)}</title></text>`
      + `<rect x="290" y="${y}" width="${Math.max(1, width).toFixed(1)}" height="17" fill="#1565c0"><title>${escapeHtml(`${p.prefix}: ${formatBytes(p.bytes)} in ${p.keys} keys`)}</title></rect>`
      + `<text x="${(296 + width).toFixed(1)}" y="${y + 13}">${escapeHtml(formatBytes(p.bytes))}${share} · ${p.keys} keys</text></g>`;
  });
  return `<svg role="img" aria-label="bytes by resource" width="860" height="${shown.length * rowHeight + 12}">${rows.join('')}</svg>`;
}

export function keyspaceSection(report: CheckReport): string {
  const keyspace = report.keyspace;
  if (!keyspace) return '';
  if ('error' in keyspace) return `<h2>What fills etcd</h2><p>The keyspace was not walked: ${escapeHtml(keyspace.error)}</p>`;
  const largest = keyspace.largestKeys.map((k) => `<tr><td class="n">${escapeHtml(formatBytes(k.bytes))}</td><td class="key">${escapeHtml(k.key)}</td></tr>`).join('');
  return `<h2>What fills etcd</h2>
<p>${keyspace.partial ? '<strong>Partial (interrupted).</strong> ' : ''}${keyspace.totalKeys} keys, ${escapeHtml(formatBytes(keyspace.totalBytes))} (keys + values) under "${escapeHtml(keyspace.prefix)}" at revision ${keyspace.revision}, read from ${escapeHtml(keyspace.endpoint)}.</p>
${keyspace.prefixes.length ? keyspaceChart(keyspace.prefixes, keyspace.totalBytes) : '<p>No keys.</p>'}
${largest ? `<h3>Largest keys</h3><table><thead><tr><th>bytes</th><th>key</th></tr></thead><tbody>${largest}</tbody></table>` : ''}`;
}

/** Each sign's name and colour in the timeline, in stacking order (the worst at the bottom). */
export const TIMELINE_KINDS: ReadonlyArray<[LogEventKind, string, string]> = [
  ['nospace', 'NOSPACE', '#4a148c'],
  ['slow-fdatasync', 'slow WAL sync', '#c62828'],
  ['heartbeat-late', 'late heartbeat', '#ef6c00'],
  ['slow-apply', 'slow request', '#f9a825'],
  ['leader-lost', 'leader lost', '#ad1457'],
  ['leader-elected', 'leader elected', '#1565c0'],
  ['sending-buffer-full', 'send buffer full', '#5d4037'],
  ['compaction', 'compaction', '#90a4ae'],
  ['defrag', 'defragmentation', '#00897b'],
];

/** Minutes per column: the smallest step that keeps the chart to at most this many columns. */
const MAX_COLUMNS = 90;
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

export interface TimelineColumn {
  /** The column's first minute, "YYYY-MM-DDTHH:MM" (UTC). */
  start: string;
  counts: Partial<Record<LogEventKind, number>>;
  total: number;
}

/** The sparse per-minute timeline as contiguous columns from its first to its last minute. */
export function timelineColumns(timeline: NonNullable<CheckReport['logs']>['timeline']): { stepMinutes: number; columns: TimelineColumn[] } {
  if (timeline.length === 0) return { stepMinutes: 1, columns: [] };
  const minuteOf = (m: string): number => Date.parse(`${m}:00Z`) / 60_000;
  const first = minuteOf(timeline[0]?.minute as string);
  const last = minuteOf(timeline[timeline.length - 1]?.minute as string);
  const span = last - first + 1;
  const stepMinutes = STEPS.find((s) => Math.ceil(span / s) <= MAX_COLUMNS) ?? Math.ceil(span / MAX_COLUMNS);
  const columns: TimelineColumn[] = Array.from({ length: Math.ceil(span / stepMinutes) }, (_, i) => ({
    start: new Date((first + i * stepMinutes) * 60_000).toISOString().slice(0, 16), counts: {}, total: 0,
  }));
  for (const { minute, ...counts } of timeline) {
    const column = columns[Math.floor((minuteOf(minute) - first) / stepMinutes)] as TimelineColumn;
    for (const [kind, n] of Object.entries(counts) as Array<[LogEventKind, number]>) {
      column.counts[kind] = (column.counts[kind] ?? 0) + n;
      column.total += n;
    }
  }
  return { stepMinutes, columns };
}

function timelineChart(timeline: NonNullable<CheckReport['logs']>['timeline']): string {
  const { stepMinutes, columns } = timelineColumns(timeline);
  const plotLeft = 40;
  const plotWidth = 800;
  const plotHeight = 160;
  const top = 10;
  const max = Math.max(1, ...columns.map((c) => c.total));
  // Few columns (a short log) stay narrow rather than filling the width.
  const width = Math.min(plotWidth / columns.length, 40);
  const parts: string[] = [
    `<line x1="${plotLeft}" x2="${(plotLeft + width * columns.length).toFixed(1)}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="#999"></line>`,
    `<text x="${plotLeft - 6}" y="${top + 10}" text-anchor="end">${max}</text><text x="${plotLeft - 6}" y="${top + plotHeight}" text-anchor="end">0</text>`,
  ];
  columns.forEach((column, i) => {
    let y = top + plotHeight;
    const x = plotLeft + i * width;
    for (const [kind, label, colour] of TIMELINE_KINDS) {
      const n = column.counts[kind];
      if (!n) continue;
      const height = (n / max) * plotHeight;
      y -= height;
      parts.push(`<rect class="event ${kind}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, width - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="${colour}"><title>${escapeHtml(`${column.start.replace('T', ' ')} UTC${stepMinutes > 1 ? ` (+${stepMinutes} min)` : ''}: ${n} ${label}`)}</title></rect>`);
    }
  });
  // Time labels under every few columns, from the first.
  const labelEvery = Math.max(1, Math.ceil(columns.length / 6));
  const sameDay = columns[0]?.start.slice(0, 10) === columns[columns.length - 1]?.start.slice(0, 10);
  columns.forEach((column, i) => {
    if (i % labelEvery !== 0) return;
    const x = plotLeft + i * width + width / 2;
    parts.push(`<text x="${x.toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle">${escapeHtml(sameDay ? column.start.slice(11) : column.start.replace('T', ' ').slice(5))}</text>`);
  });
  const present = TIMELINE_KINDS.filter(([kind]) => columns.some((c) => c.counts[kind]));
  present.forEach(([, label, colour], i) => {
    const x = plotLeft + (i % 5) * 160;
    const y = top + plotHeight + 36 + Math.floor(i / 5) * 18;
    parts.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colour}"></rect><text x="${x + 16}" y="${y}">${escapeHtml(label)}</text>`);
  });
  const height = top + plotHeight + 36 + Math.ceil(present.length / 5) * 18;
  return `<svg role="img" aria-label="signs of trouble in the logs over time" width="860" height="${height}">${parts.join('')}</svg>
<p class="evidence">UTC, ${stepMinutes === 1 ? 'per minute' : `per ${stepMinutes} minutes`}; hover a bar for its count.</p>`;
}


export function logsSection(report: CheckReport): string {
  const logs = report.logs;
  if (!logs) return '';
  const lines = logs.sources.reduce((n, s) => n + s.lines, 0);
  const sources = logs.sources.map((s) => escapeHtml(s.name)).join(', ');
  const slowest = logs.slowestRequests.map((r) => `<tr><td class="n">${escapeHtml(formatLoggedMs(r.ms))}</td><td class="n">${r.expectedMs === null ? '-' : escapeHtml(formatLoggedMs(r.expectedMs))}</td>`
    + `<td class="n">${escapeHtml(r.time ?? '-')}</td><td>${escapeHtml(r.source)}</td><td class="key">${escapeHtml(r.request)}</td></tr>`).join('');
  const sampled = logs.sources.flatMap((s) => TIMELINE_KINDS.filter(([kind]) => s.events[kind]?.lowerBound)
    .map(([kind, label]) => `${label}: at least ${s.events[kind]?.count} in ${s.name}`));
  return `<h2>Slow events in the logs</h2>
<p>${lines} lines from ${sources}.</p>
${sampled.length ? `<p class="evidence">zap sampled some lines (past 100 of one message in a second it keeps every 100th), so these are lower bounds: ${escapeHtml(sampled.join('; '))}.</p>` : ''}
${logs.timeline.length ? timelineChart(logs.timeline) : '<p>No slow request, slow sync, late heartbeat, election, full buffer, NOSPACE, compaction or defragmentation in these logs.</p>'}
${slowest ? `<h3>Slowest requests</h3><table><thead><tr><th>took</th><th>expected</th><th>time</th><th>source</th><th>request</th></tr></thead><tbody>${slowest}</tbody></table>` : ''}`;
}
