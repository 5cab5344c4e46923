// Maintenance results as text for a terminal.

import type { CompactResult } from '../maintain/compact.ts';
import type { DefragPlan } from '../maintain/plan.ts';
import type { DefragResult } from '../maintain/rolling-defrag.ts';
import { formatBytes } from '../util/bytes.ts';
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

export function renderPlanText(plan: DefragPlan, width: number, compactTo?: number): string {
  const lines: string[] = [];
  if (compactTo !== undefined) lines.push(`1. compact to revision ${compactTo} (physical), waiting for every member`, `2. defragment, one member at a time, leader last:`, '');
  lines.push(renderTextTable(
    [
      { header: 'ORDER', priority: 0, align: 'right' }, { header: 'MEMBER', priority: 0 }, { header: 'ROLE', priority: 1 },
      { header: 'DB SIZE', priority: 0, align: 'right' }, { header: 'IN USE', priority: 2, align: 'right' },
      { header: 'FRAG', priority: 0, align: 'right' }, { header: 'ACTION', priority: 0 },
    ],
    plan.steps.map((s, i) => [
      s.action === 'defrag' ? String(i + 1) : '-', s.name, s.isLeader ? 'leader' : 'follower', formatBytes(s.dbSize),
      formatBytes(s.dbSizeInUse), `${Math.round(s.fragmentationPercent)}%`, s.action,
    ]),
    width,
  ).text, '');
  for (const s of plan.steps) lines.push(`${s.name}: ${s.action}, ${s.reason}`);
  const count = plan.steps.filter((s) => s.action === 'defrag').length;
  if (compactTo !== undefined) {
    lines.push('', `now ${count} member(s) qualify; compaction frees more, so each member is decided again after it`);
  } else {
    lines.push('', count ? `${count} member(s) to defragment; about ${formatBytes(plan.expectedFreedBytes)} to free` : 'nothing to defragment');
  }
  for (const refusal of plan.refusals) lines.push(`REFUSED: ${refusal}`);
  return `${lines.join('\n')}\n`;
}

export function renderDefragResultText(result: DefragResult, width: number): string {
  const rows = result.steps.map((s) => [
    s.name, s.status, s.wasLeader ? (s.leaderMovedTo ? `moved to ${s.leaderMovedTo}` : 'leader') : 'follower',
    formatBytes(s.sizeBefore), s.sizeAfter === null ? '-' : formatBytes(s.sizeAfter), formatBytes(s.freedBytes),
    s.status === 'not-started' ? '-' : formatDuration(s.defragMs), s.healthyAfter === null ? '-' : s.healthyAfter ? 'yes' : 'NO',
    s.error ?? '',
  ]);
  const table = renderTextTable(
    [
      { header: 'MEMBER', priority: 0 }, { header: 'STATUS', priority: 0 }, { header: 'LEADERSHIP', priority: 2 },
      { header: 'BEFORE', priority: 0, align: 'right' }, { header: 'AFTER', priority: 0, align: 'right' },
      { header: 'FREED', priority: 1, align: 'right' }, { header: 'DEFRAG', priority: 1, align: 'right' },
      { header: 'HEALTHY', priority: 0 }, { header: 'ERROR', priority: 3 },
    ],
    rows, width,
  );
  const lines = [table.text, '', `freed ${formatBytes(result.totalFreedBytes)} in total`];
  for (const a of result.alarmsDisarmed) lines.push(`disarmed the ${a.alarm} alarm of ${a.member}: the cluster takes writes again`);
  if (result.stoppedReason) lines.push(`STOPPED: ${result.stoppedReason}`);
  return `${lines.join('\n')}\n`;
}
