// Right-click a cluster -> Compact and Defragment Cluster: the plan in a modal first, then the rolling maintenance with
// progress per member, cancellable between members.

import * as vscode from 'vscode';
import {
  describePolicy, formatBytes, maintainRequest, maintenanceEventLine, maintenanceProblem, planMaintenance, planStepLine,
  runMaintenance, SAFETY_GATES,
} from '../../shared/entry/index.ts';
import { connectionFor } from '../clusters.ts';
import type { Node } from '../tree/provider.ts';
import type { CommandContext } from './register.ts';

export async function maintainCluster(context: CommandContext, node: Node): Promise<void> {
  if (node?.kind !== 'cluster') throw new Error('Compact and Defragment Cluster works on a cluster of the etcd view');
  const connection = await connectionFor(node.cluster, context.extension.secrets);
  const request = maintainRequest({}, true);
  const preview = await planMaintenance(connection, request, node.cluster.name);
  if (preview.refused) throw new Error(preview.refused);
  const answer = await vscode.window.showWarningMessage(
    preview.question,
    { modal: true, detail: `Now:\n${preview.plan.steps.map(planStepLine).join('\n')}\n\nEach member is decided again after compaction (${describePolicy(request.policy)}). Safety: ${SAFETY_GATES}` },
    'Compact and Defragment',
  );
  if (answer !== 'Compact and Defragment') return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Maintaining ${node.cluster.name}`, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return runMaintenance(connection, request, {
        command: 'VS Code: Compact and Defragment Cluster', signal: controller.signal,
        onEvent: (event) => {
          const message = maintenanceEventLine(event);
          if (message) progress.report({ message, ...(event.type === 'step-start' ? { increment: 100 / event.total } : {}) });
        },
      });
    },
  );
  await context.tree.refresh();
  if (!result.ok) throw new Error(maintenanceProblem(result) ?? 'maintenance did not complete');
  void vscode.window.showInformationMessage(`${node.cluster.name}: freed ${formatBytes(result.defrag?.totalFreedBytes ?? 0)}.`);
}
