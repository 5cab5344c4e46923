// Diagnostics and quick fixes on etcd configuration files (kubeadm static pod manifests, etcd YAML config files, env
// files with ETCD_*): the core's config audit, shown where each flag is written, with a fix that sets the recommended
// value. Files that are not etcd configuration are left alone.

import * as vscode from 'vscode';
import type { Severity } from '../../shared/analyse/finding.ts';
import { auditConfigText, fixConfigText, type ConfigFinding } from '../../shared/entry/config.ts';

const SOURCE = 'etcd-perf';
const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  crit: vscode.DiagnosticSeverity.Error,
  warn: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  ok: vscode.DiagnosticSeverity.Hint,
};

function audit(document: vscode.TextDocument): ReturnType<typeof auditConfigText> {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return undefined;
  if (document.getText().length > 1_000_000) return undefined;
  return auditConfigText(document.getText(), document.fileName);
}

function range(document: vscode.TextDocument, finding: ConfigFinding): vscode.Range {
  const start = document.positionAt(finding.span.start);
  const end = document.positionAt(finding.span.end);
  // A missing flag points at where it would be added: mark that whole line.
  return start.isEqual(end) ? document.lineAt(Math.max(0, start.line - (start.character === 0 ? 1 : 0))).range : new vscode.Range(start, end);
}

export function registerConfigDiagnostics(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('etcd');
  const update = (document: vscode.TextDocument): void => {
    const result = audit(document);
    if (!result) {
      diagnostics.delete(document.uri);
      return;
    }
    diagnostics.set(document.uri, result.findings.map((finding) => {
      const diagnostic = new vscode.Diagnostic(range(document, finding), `${finding.title}. ${finding.recommendation}`, SEVERITY[finding.severity]);
      diagnostic.source = SOURCE;
      diagnostic.code = finding.id;
      return diagnostic;
    }));
  };
  // The editor menu's "This Member" entries show only on etcd configuration files.
  const setContext = (editor: vscode.TextEditor | undefined): void => {
    const isConfig = !!editor && !!auditConfigText(editor.document.getText(), editor.document.fileName);
    void vscode.commands.executeCommand('setContext', 'etcdPerf.etcdConfig', isConfig);
  };
  vscode.workspace.textDocuments.forEach(update);
  setContext(vscode.window.activeTextEditor);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(setContext));
  context.subscriptions.push(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((event) => update(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], {
      provideCodeActions(document, _range, actionContext) {
        const ours = actionContext.diagnostics.filter((d) => d.source === SOURCE);
        if (ours.length === 0) return [];
        const result = audit(document);
        if (!result) return [];
        return ours.flatMap((diagnostic) => {
          const finding = result.findings.find((f) => f.id === diagnostic.code && f.fix);
          if (!finding?.fix) return [];
          const action = new vscode.CodeAction(`Set --${finding.fix.flag}=${finding.fix.value}`, vscode.CodeActionKind.QuickFix);
          const text = document.getText();
          const fixed = fixConfigText(text, result.config, finding.fix);
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), fixed);
          action.diagnostics = [diagnostic];
          action.isPreferred = true;
          return [action];
        });
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
}
