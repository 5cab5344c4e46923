// Right-click a cluster -> Run Check: a measurement over check's default window, the report kept as HTML, Markdown
// and JSON in the extension's storage, and shown in the report view. Open Last Report shows the newest again.

import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  CHECK_DEFAULTS, checkRequest, type ConnectionOptions, keepReport, newestReport, reportTitle, runCheck,
} from '../../shared/entry/index.ts';
import { connectionFor } from '../clusters.ts';
import type { Node } from '../tree/provider.ts';
import { showReport } from '../webview/report-panel.ts';
import type { CommandContext } from './register.ts';

const reportsDir = (context: CommandContext): string => join(context.extension.globalStorageUri.fsPath, 'reports');

export async function runCheckCommand(context: CommandContext, node: Node): Promise<void> {
  if (node?.kind !== 'cluster') throw new Error('Run Check works on a cluster of the etcd view');
  await checkAndShow(context, await connectionFor(node.cluster, context.extension.secrets), node.cluster.name);
}

/** Measures over check's default window, keeps the report, and shows it. */
export async function checkAndShow(context: CommandContext, connection: ConnectionOptions, name: string): Promise<void> {
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking ${name} (measuring for ${CHECK_DEFAULTS.window})` },
    () => runCheck(connection, checkRequest({})),
  );
  context.log.appendLine(`report written: ${keepReport(reportsDir(context), report, name)}.{html,md,json}`);
  showReport(report, reportTitle(report, name));
  void context.tree.refresh();
}

export async function openLastReport(context: CommandContext): Promise<void> {
  const newest = newestReport(reportsDir(context));
  if (!newest) throw new Error('no report yet: right-click a cluster and Run Check');
  showReport(newest.report, reportTitle(newest.report, newest.shownAs));
}
