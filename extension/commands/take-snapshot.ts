// Right-click a cluster -> Take Snapshot: where to save, then the core's verified, atomic snapshot with progress.

import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { snapshotLine, snapshotProgress, takeSnapshot as saveSnapshot } from '../../shared/entry/index.ts';
import { connectionFor } from '../clusters.ts';
import type { Node } from '../tree/provider.ts';
import type { CommandContext } from './register.ts';

export async function takeSnapshot(context: CommandContext, node: Node): Promise<void> {
  if (node?.kind !== 'cluster') throw new Error('Take Snapshot works on a cluster of the etcd view');
  const target = await vscode.window.showSaveDialog({
    title: `Snapshot of ${node.cluster.name}`, filters: { 'etcd snapshot': ['db'] },
    defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()),
      `${node.cluster.name.replace(/[^\w.-]+/g, '-')}-${new Date().toISOString().slice(0, 10)}.db`),
  });
  if (!target) return;
  const connection = await connectionFor(node.cluster, context.extension.secrets);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Snapshot of ${node.cluster.name}` },
    (progress) => saveSnapshot(connection, {
      file: target.fsPath, force: true,
      onProgress: (bytes, total) => progress.report({ message: snapshotProgress(bytes, total) }),
    }),
  );
  void vscode.window.showInformationMessage(`${snapshotLine(result)}.`);
}
