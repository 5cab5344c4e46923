// Right-click a member -> Defragment Member: a modal that names the member, whether it leads, and what it would free;
// then the core's safe maintenance for that member alone, with progress; then the tree refreshes.

import * as vscode from 'vscode';
import {
  maintainRequest, maintenanceProblem, planMaintenance, runMaintenance, stepImpact, stepResultLine,
} from '../../shared/entry/index.ts';
import { connectionFor } from '../clusters.ts';
import type { Node } from '../tree/provider.ts';
import type { CommandContext } from './register.ts';

export async function defragmentMember(context: CommandContext, node: Node): Promise<void> {
  if (node?.kind !== 'member') throw new Error('Defragment Member works on a member of the etcd view');
  const connection = await connectionFor(node.cluster, context.extension.secrets);
  const request = maintainRequest({ all: true, member: [node.member.id || node.member.endpoint] }, false);
  const preview = await planMaintenance(connection, request);
  const step = preview.plan.steps.find((s) => s.action === 'defrag');
  if (preview.refused || !step) throw new Error(preview.refused ?? `not defragmenting ${node.member.name}: nothing to do`);
  const answer = await vscode.window.showWarningMessage(preview.question, { modal: true, detail: stepImpact(step) }, 'Defragment');
  if (answer !== 'Defragment') return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Defragmenting ${step.name}`, cancellable: false },
    () => runMaintenance(connection, request, { command: `VS Code: Defragment Member ${step.name}` }),
  );
  await context.tree.refresh();
  const done = result.defrag?.steps[0];
  if (!result.ok || !done || done.status !== 'done') throw new Error(maintenanceProblem(result) ?? 'the defragmentation did not complete');
  void vscode.window.showInformationMessage(`${stepResultLine(done)}.`);
}
