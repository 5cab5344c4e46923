// Maintenance results as text for a terminal.

import type { CompactResult } from '../maintain/compact.ts';
import { formatDuration } from '../util/duration.ts';
import { renderTextTable } from './table.ts';

export function renderCompactText(result: CompactResult, width: number): string {
  if (result.alreadyCompacted) {
    return `nothing to compact: the cluster is already compacted at revision ${result.previousCompactRevision ?? result.revision} `
      + `(asked for ${result.revision}, current ${result.currentRevision})\n`;
  }
  const lines = [
    `compacted to revision ${result.revision} of ${result.currentRevision} through ${result.servedBy} (physical)`
      + `${result.previousCompactRevision ? `; previously ${result.previousCompactRevision}` : ''}; took ${formatDuration(result.tookMs)}`,
    '',
    renderTextTable(
      [{ header: 'MEMBER', priority: 0 }, { header: 'FINISHED', priority: 0 }, { header: 'WAITED', priority: 1, align: 'right' }, { header: 'NOTE', priority: 2 }],
      result.members.map((m) => [m.name, m.finished === null ? 'unknown' : m.finished ? 'yes' : 'NO', formatDuration(m.waitedMs), m.note ?? '']),
      width,
    ).text,
  ];
  return `${lines.join('\n')}\n`;
}
