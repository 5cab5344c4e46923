// Right-click a cluster -> Run Check: a measurement over check's default window, the report written as HTML, Markdown
// and JSON to the extension's storage, and shown in the report view. Open Last Report shows the newest again.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CheckReport } from '../../shared/analyse/report.ts';
import type { ConnectionOptions } from '../../shared/connect/types.ts';
import { CHECK_DEFAULTS, checkRequest, runCheck } from '../../shared/entry/check.ts';
import { reportDocument, reportTitle } from '../../shared/entry/report.ts';
import { connectionFor } from '../clusters.ts';
import type { Node } from '../tree/provider.ts';
import { showReport } from '../webview/report-panel.ts';
import type { CommandContext } from './register.ts';

function reportsDir(context: CommandContext): string {
  const dir = join(context.extension.globalStorageUri.fsPath, 'reports');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function runCheckCommand(context: CommandContext, node: Node): Promise<void> {
  if (node?.kind !== 'cluster') throw new Error('Run Check works on a cluster of the etcd view');
  await checkAndShow(context, await connectionFor(node.cluster, context.extension.secrets), node.cluster.name);
}

/** Measures over check's default window, writes the report as HTML, Markdown and JSON, and shows it. */
export async function checkAndShow(context: CommandContext, connection: ConnectionOptions, name: string): Promise<void> {
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking ${name} (measuring for ${CHECK_DEFAULTS.window})` },
    () => runCheck(connection, checkRequest({})),
  );
  const title = reportTitle(report, name);
  const base = join(reportsDir(context), `${name.replace(/[^\w.-]/g, '_')}-${report.collectedAt.replace(/[:.]/g, '-')}`);
  for (const [ext, format] of [['json', 'json'], ['md', 'markdown'], ['html', 'html']] as const) {
    writeFileSync(`${base}.${ext}`, reportDocument(report, format, { title }));
  }
  context.log.appendLine(`report written: ${base}.{html,md,json}`);
  showReport(report, title);
  void context.tree.refresh();
}

export async function openLastReport(context: CommandContext): Promise<void> {
  const dir = reportsDir(context);
  const newest = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().pop();
  if (!newest) throw new Error('no report yet: right-click a cluster and Run Check');
  const report = JSON.parse(readFileSync(join(dir, newest), 'utf8')) as CheckReport;
  showReport(report, reportTitle(report, newest.replace(/-\d{4}-.*$/, '')));
}
