// Right-click a member -> Defragment Member: a modal that names the member, whether it leads, and what it would free;
// then the core's safe maintenance for that member alone, with progress; then the tree refreshes.

import * as vscode from 'vscode';
import { DEFAULT_POLICY } from '../../shared/maintain/plan.ts';
import { planMaintenance, runMaintenance } from '../../shared/maintain/maintain.ts';
import { formatBytes } from '../../shared/util/bytes.ts';
import { formatDuration } from '../../shared/util/duration.ts';
import { connectionFor } from '../clusters.ts';
import type { Node } from '../tree/provider.ts';
import type { CommandContext } from './register.ts';

export async function defragmentMember(context: CommandContext, node: Node): Promise<void> {
  if (node?.kind !== 'member') throw new Error('Defragment Member works on a member of the etcd view');
  const connection = await connectionFor(node.cluster, context.extension.secrets);
  const policy = { ...DEFAULT_POLICY, all: true, members: [node.member.id || node.member.endpoint] };
  const preview = await planMaintenance(connection, policy);
  const step = preview.plan.steps.find((s) => s.action === 'defrag');
  if (preview.plan.refusals.length > 0 || !step) {
    throw new Error(`not defragmenting ${node.member.name}: ${preview.plan.refusals.join('; ') || 'nothing to do'}`);
  }
  const role = step.isLeader
    ? 'It is the LEADER: every write in the cluster waits while it is defragmented.'
    : 'It is a follower: requests it serves wait while it is defragmented.';
  const answer = await vscode.window.showWarningMessage(
    `Defragment ${step.name}?`,
    { modal: true, detail: `${role}\n\nDB ${formatBytes(step.dbSize)}, in use ${formatBytes(step.dbSizeInUse)}: about ${formatBytes(step.freeableBytes)} to free (${Math.round(step.fragmentationPercent)}% fragmented).` },
    'Defragment',
  );
  if (answer !== 'Defragment') return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Defragmenting ${step.name}`, cancellable: false },
    () => runMaintenance(connection, { policy, compact: false, moveLeader: false, command: `VS Code: Defragment Member ${step.name}` }),
  );
  await context.tree.refresh();
  const done = result.defrag?.steps[0];
  if (!result.ok || !done || done.status !== 'done') {
    throw new Error(result.refused.join('; ') || result.defrag?.stoppedReason || 'the defragmentation did not complete');
  }
  void vscode.window.showInformationMessage(`${done.name}: ${formatBytes(done.sizeBefore)} → ${formatBytes(done.sizeAfter ?? 0)} (freed ${formatBytes(done.freedBytes)}) in ${formatDuration(done.defragMs)}.`);
}
