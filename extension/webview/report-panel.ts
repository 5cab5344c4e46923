// The report view: the core's HTML report in a webview with a strict CSP (no script, no network; styles by nonce).

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { type CheckReport, reportDocument } from '../../shared/entry/index.ts';

let panel: vscode.WebviewPanel | undefined;

export function showReport(report: CheckReport, title: string): void {
  panel ??= vscode.window.createWebviewPanel('etcdPerf.report', title, vscode.ViewColumn.Active, { enableScripts: false, localResourceRoots: [] });
  panel.onDidDispose(() => { panel = undefined; });
  panel.title = title;
  panel.webview.html = reportDocument(report, 'html', { title, nonce: randomBytes(16).toString('base64') });
  panel.reveal();
}
