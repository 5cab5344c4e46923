// Right-click a cluster -> Generate Alert Rules: the core's rules (what `kubectl etcd-perf alerts` prints) as a YAML
// document, ready to save in the workspace (Ctrl+S) and apply or check with promtool.

import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { ALERT_DEFAULTS, ALERT_FORMAT_NAMES, ALERT_FORMATS, alertRulesName, alertsDocument, selectorProblem } from '../../shared/entry/index.ts';
import { say } from '../say.ts';
import type { Node } from '../tree/provider.ts';
import type { CommandContext } from './register.ts';

export async function generateAlertRules(context: CommandContext, node: Node): Promise<void> {
  if (node?.kind !== 'cluster') throw new Error('Generate Alert Rules works on a cluster of the etcd view');
  const formats = ALERT_FORMATS.map((f) => ({ label: ALERT_FORMAT_NAMES[f].label, description: ALERT_FORMAT_NAMES[f].about, format: f }));
  const format = await vscode.window.showQuickPick(formats, { title: `Alert rules for ${node.cluster.name}`, placeHolder: 'Format' });
  if (!format) return;
  const selector = await vscode.window.showInputBox({
    title: `Alert rules for ${node.cluster.name}`,
    prompt: 'Label matchers that pick this cluster\'s etcd series in Prometheus',
    value: ALERT_DEFAULTS.selector,
    validateInput: (text) => {
      const problem = selectorProblem(text);
      return problem && say(problem);
    },
  });
  if (selector === undefined) return;
  const { text, name } = alertsDocument({ format: format.format, selector, name: alertRulesName(node.cluster.name) });
  // An untitled document with a path in the workspace: Ctrl+S saves it there without asking.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const target = vscode.Uri.joinPath(folder, `${name}-${format.format === 'rules' ? 'rules' : 'prometheusrule'}.yaml`).with({ scheme: 'untitled' });
  const document = await vscode.workspace.openTextDocument(target);
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, document.lineCount, 0), text));
  await vscode.languages.setTextDocumentLanguage(document, 'yaml');
  context.log.appendLine(`alert rules for ${node.cluster.name}: ${format.label}, selector {${selector}}`);
}
