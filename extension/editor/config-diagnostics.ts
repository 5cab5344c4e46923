// Diagnostics and quick fixes on etcd configuration files (kubeadm static pod manifests, etcd YAML config files, env
// files with ETCD_*): the core's config audit, shown where each flag is written, with a fix that sets the recommended
// value. Files that are not etcd configuration are left alone.

import * as vscode from 'vscode';
import { configProblems, isEtcdConfig, type Severity } from '../../shared/entry/index.ts';

const SOURCE = 'etcd-perf';
const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  crit: vscode.DiagnosticSeverity.Error,
  warn: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  ok: vscode.DiagnosticSeverity.Hint,
};

function problems(document: vscode.TextDocument): ReturnType<typeof configProblems> {
  const audited = (document.uri.scheme === 'file' || document.uri.scheme === 'untitled') && document.getText().length <= 1_000_000;
  return audited ? configProblems(document.getText(), document.fileName) : undefined;
}

const range = (document: vscode.TextDocument, start: number, end: number): vscode.Range => new vscode.Range(document.positionAt(start), document.positionAt(end));

export function registerConfigDiagnostics(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('etcd');
  const update = (document: vscode.TextDocument): void => {
    const found = problems(document);
    if (!found) {
      diagnostics.delete(document.uri);
      return;
    }
    diagnostics.set(document.uri, found.map((problem) => {
      const diagnostic = new vscode.Diagnostic(range(document, problem.start, problem.end), problem.message, SEVERITY[problem.severity]);
      diagnostic.source = SOURCE;
      diagnostic.code = problem.id;
      return diagnostic;
    }));
  };
  // The editor menu's "This Member" entries show only on etcd configuration files.
  const setContext = (editor: vscode.TextEditor | undefined): void => {
    void vscode.commands.executeCommand('setContext', 'etcdPerf.etcdConfig', !!editor && isEtcdConfig(editor.document.getText(), editor.document.fileName));
  };
  vscode.workspace.textDocuments.forEach(update);
  setContext(vscode.window.activeTextEditor);
  context.subscriptions.push(
    diagnostics,
    vscode.window.onDidChangeActiveTextEditor(setContext),
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((event) => update(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], {
      provideCodeActions(document, _range, actionContext) {
        const found = problems(document) ?? [];
        return actionContext.diagnostics.filter((d) => d.source === SOURCE).flatMap((diagnostic) => {
          const fix = found.find((p) => p.id === diagnostic.code)?.fix;
          if (!fix) return [];
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, range(document, 0, document.getText().length), fix.text);
          action.diagnostics = [diagnostic];
          action.isPreferred = true;
          return [action];
        });
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
}
