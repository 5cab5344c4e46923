// Right-click a cluster -> Compact and Defragment Cluster: the plan in a modal first, then the rolling maintenance with
// progress per member, cancellable between members.

import * as vscode from 'vscode';
import { DEFAULT_POLICY } from '../../shared/maintain/plan.ts';
import { planMaintenance, runMaintenance } from '../../shared/maintain/maintain.ts';
import { formatBytes } from '../../shared/util/bytes.ts';
import { connectionFor } from '../clusters.ts';
import type { Node } from '../tree/provider.ts';
import type { CommandContext } from './register.ts';

export async function maintainCluster(context: CommandContext, node: Node): Promise<void> {
  if (node?.kind !== 'cluster') throw new Error('Compact and Defragment Cluster works on a cluster of the etcd view');
  const connection = await connectionFor(node.cluster, context.extension.secrets);
  const preview = await planMaintenance(connection, DEFAULT_POLICY);
  if (preview.plan.refusals.length > 0) throw new Error(`refusing to maintain ${node.cluster.name}: ${preview.plan.refusals.join('; ')}`);
  const lines = preview.plan.steps.map((s) => `${s.name} (${s.isLeader ? 'leader' : 'follower'}), DB ${formatBytes(s.dbSize)}: ${s.action}, ${s.reason}`);
  const answer = await vscode.window.showWarningMessage(
    `Compact ${node.cluster.name} to revision ${preview.compactTo}, then defragment one member at a time, leader last?`,
    { modal: true, detail: `Now:\n${lines.join('\n')}\n\nEach member is decided again after compaction (at least 45% fragmented and 100 MiB to free).` },
    'Compact and Defragment',
  );
  if (answer !== 'Compact and Defragment') return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Maintaining ${node.cluster.name}`, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return runMaintenance(connection, {
        policy: DEFAULT_POLICY, compact: true, moveLeader: false, command: 'VS Code: Compact and Defragment Cluster',
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'compacted') progress.report({ message: `compacted to revision ${event.result.revision}` });
          if (event.type === 'step-start') progress.report({ message: `${event.index}/${event.total}: defragmenting ${event.member}`, increment: 100 / event.total });
        },
      });
    },
  );
  await context.tree.refresh();
  if (!result.ok) throw new Error(result.refused.join('; ') || result.defrag?.stoppedReason || 'maintenance did not complete');
  void vscode.window.showInformationMessage(`${node.cluster.name}: freed ${formatBytes(result.defrag?.totalFreedBytes ?? 0)}.`);
}
