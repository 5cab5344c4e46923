// `keyspace` as text: the groups by bytes with their share, then the largest and the most rewritten keys.

import type { KeyspaceReport } from '../collect/keyspace.ts';
import { formatBytes } from '../util/bytes.ts';
import { renderTextTable } from './table.ts';

const shorten = (key: string, width: number): string => (key.length > width ? `${key.slice(0, width - 1)}…` : key);

export function renderKeyspaceText(report: KeyspaceReport, width: number): string {
  const share = (bytes: number): string => (report.totalBytes > 0 ? `${((bytes / report.totalBytes) * 100).toFixed(1)}%` : '-');
  const groups = renderTextTable(
    [{ header: 'PREFIX', priority: 0 }, { header: 'KEYS', priority: 0, align: 'right' }, { header: 'BYTES', priority: 0, align: 'right' },
      { header: 'SHARE', priority: 1, align: 'right' }, { header: 'MEAN VALUE', priority: 3, align: 'right' }, { header: 'LARGEST', priority: 2, align: 'right' },
      { header: 'VERSIONS MAX', priority: 4, align: 'right' }, { header: 'NO LEASE', priority: 5, align: 'right' }],
    report.prefixes.map((p) => [p.prefix, String(p.keys), formatBytes(p.bytes), share(p.bytes), formatBytes(p.meanValueBytes),
      formatBytes(p.largestBytes), String(p.versionsMax), String(p.withoutLease)]),
    width,
  ).text;
  const keyWidth = Math.max(20, width - 14);
  const lines = [
    `${report.partial ? 'PARTIAL (interrupted): ' : ''}${report.totalKeys} keys, ${formatBytes(report.totalBytes)} (keys + values${report.keysOnly ? ': keys only, --keys-only' : ''}) under "${report.prefix}" at revision ${report.revision}, read from ${report.endpoint} (${report.serializable ? 'serializable' : 'linearizable'}, ${report.pages} pages${report.lookaheadPages ? ` bounded by ${report.lookaheadPages} keys-only lookahead pages` : ''}, ${report.durationSeconds.toFixed(1)} s)`,
    ...(report.partial && report.resumeAfter ? [`stopped after ${report.resumeAfter}`] : []),
    '',
    groups,
  ];
  if (report.largestKeys.length) {
    lines.push('', 'largest keys');
    for (const k of report.largestKeys) lines.push(`${formatBytes(k.bytes).padStart(10)}  ${shorten(k.key, keyWidth)}`);
  }
  if (report.mostRewritten.length) {
    lines.push('', 'most rewritten keys (version = writes since created)');
    for (const k of report.mostRewritten) lines.push(`${String(k.version).padStart(10)}  ${shorten(k.key, keyWidth)}`);
  }
  return `${lines.join('\n')}\n`;
}
