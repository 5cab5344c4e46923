// Maintenance in words: the plan, each step and event as it happens (the CLI's progress lines, the extension's
// notifications say the same), and the results as tables for a terminal.

import type { CompactResult } from '../maintain/compact.ts';
import type { DefragPlan, PlanStep } from '../maintain/plan.ts';
import type { DefragResult, MaintainEvent, StepResult } from '../maintain/rolling-defrag.ts';
import type { NodeSnapshotResult, SnapshotResult } from '../maintain/snapshot.ts';
import { formatBytes } from '../util/bytes.ts';
import { formatDuration } from '../util/duration.ts';
import { renderTextTable } from './table.ts';

/** What to ask before changing the cluster (`cluster`: the name it is shown under, if any). */
export function maintenanceQuestion(plan: DefragPlan, compactTo: number | undefined, cluster?: string): string {
  const chosen = plan.steps.filter((s) => s.action === 'defrag');
  if (compactTo !== undefined) {
    return `Compact${cluster ? ` ${cluster}` : ''} to revision ${compactTo}, then defragment ${chosen.length ? 'the members above' : 'any member that needs it'} one at a time, leader last?`;
  }
  return chosen.length === 1 ? `Defragment ${(chosen[0] as PlanStep).name}?` : `Defragment ${chosen.length} member(s), leader last?`;
}

/** What defragmenting this member costs and gives: who waits while it runs, and the space it frees. */
export function stepImpact(step: PlanStep): string {
  const role = step.isLeader
    ? 'It is the LEADER: every write in the cluster waits while it is defragmented.'
    : 'It is a follower: requests it serves wait while it is defragmented.';
  return `${role}\n\nDB ${formatBytes(step.dbSize)}, in use ${formatBytes(step.dbSizeInUse)}: about ${formatBytes(step.freeableBytes)} to free (${Math.round(step.fragmentationPercent)}% fragmented).`;
}

/** What the plan does with one member, and why. */
export function planStepLine(step: PlanStep): string {
  return `${step.name}: ${step.action}, ${step.reason}`;
}

/** A member's defragmentation once it ended: its sizes before and after, or why it failed. */
export function stepResultLine(r: StepResult): string {
  return r.status === 'done'
    ? `${r.name}: ${formatBytes(r.sizeBefore)} -> ${formatBytes(r.sizeAfter ?? 0)} (freed ${formatBytes(r.freedBytes)}) in ${formatDuration(r.defragMs)}, serving again`
    : `${r.name}: FAILED: ${r.error ?? ''}`;
}

/** How far a snapshot stream has come: "12.0 MiB of 294 MiB (4%)"; the bytes alone while the size is unknown. */
export function snapshotProgress(bytes: number, total: number | null): string {
  return total ? `${formatBytes(bytes)} of ${formatBytes(total)} (${Math.floor((bytes / total) * 100)}%)` : formatBytes(bytes);
}

/** A saved snapshot in one line: here (streamed and verified), or on a member's node (read back there). */
export function snapshotLine(result: SnapshotResult | NodeSnapshotResult): string {
  if ('nodePath' in result) return nodeSnapshotLine(result);
  return `saved ${result.file}: ${formatBytes(result.bytes)} at revision ${result.revision}${result.revisionExact ? '' : ' (or a little later: writes arrived as it began)'} from ${result.member} in ${formatDuration(result.tookMs)}; sha256 verified: ${result.sha256}`;
}

function nodeSnapshotLine(saved: NodeSnapshotResult): string {
  return `saved on node ${saved.node} at ${saved.nodePath}${saved.nodePath === saved.path ? '' : ` (${saved.path} in the pod)`}: ${formatBytes(saved.bytes)} at revision ${saved.revision}, ${saved.keys} keys, from ${saved.member} in ${formatDuration(saved.tookMs)}; read back by etcdctl snapshot status (hash ${saved.hash})`;
}

/** One event of a maintenance run as a line of progress; undefined when there is nothing to say (a stop is in the result). */
export function maintenanceEventLine(event: MaintainEvent): string | undefined {
  switch (event.type) {
    case 'snapshot':
      return `snapshot saved: ${event.result.file} (${formatBytes(event.result.bytes)}, revision ${event.result.revision}, sha256 verified)`;
    case 'compacted':
      return event.result.alreadyCompacted ? 'compaction: nothing to do' : `compacted to revision ${event.result.revision}; every member finished (${formatDuration(event.result.tookMs)})`;
    case 'planned': {
      const chosen = event.plan.steps.filter((s) => s.action === 'defrag');
      return chosen.length
        ? `after compaction: defragmenting ${chosen.map((s) => `${s.name} (${Math.round(s.fragmentationPercent)}%)`).join(', ')}`
        : 'after compaction: no member needs defragmenting';
    }
    case 'step-start':
      return `[${event.index}/${event.total}] defragmenting ${event.member} (${formatBytes(event.dbSize)}, ${event.isLeader ? 'leader' : 'follower'})`;
    case 'leader-moved':
      return `leadership moved from ${event.from} to ${event.to} in ${formatDuration(event.tookMs)}`;
    case 'step-done':
      return stepResultLine(event.result);
    case 'alarm-disarmed':
      return `disarmed ${event.alarm} on ${event.member}`;
    default:
      return undefined;
  }
}

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
  for (const s of plan.steps) lines.push(planStepLine(s));
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
