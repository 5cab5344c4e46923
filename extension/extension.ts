// The VS Code door: activate wires the tree, the status bar, auto-refresh and the commands; nothing else lives here.

import * as vscode from 'vscode';
import { addKubernetesContext } from './commands/add-kubernetes-context.ts';
import { defragmentMember } from './commands/defragment-member.ts';
import { startDemoCluster, stopDemoCluster } from './commands/demo-cluster.ts';
import { maintainCluster } from './commands/maintain-cluster.ts';
import { register, type CommandContext } from './commands/register.ts';
import { openLastReport, runCheckCommand } from './commands/run-check.ts';
import { takeSnapshot } from './commands/take-snapshot.ts';
import { generateAlertRules } from './commands/generate-alerts.ts';
import { defragmentThisMember, runCheckForThisMember } from './commands/this-member.ts';
import { registerConfigDiagnostics } from './editor/config-diagnostics.ts';
import { startStatusBar } from './status-bar.ts';
import { ClusterTreeProvider } from './tree/provider.ts';

export function activate(extension: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('etcd-perf');
  const tree = new ClusterTreeProvider(extension.secrets, log);
  const context: CommandContext = { extension, tree, log };
  extension.subscriptions.push(log, vscode.window.registerTreeDataProvider('etcdPerf.clusters', tree));
  const commands: Record<string, (context: CommandContext, ...args: never[]) => Promise<void>> = {
    'etcdPerf.refresh': async (c) => c.tree.refresh(),
    'etcdPerf.defragmentMember': defragmentMember,
    'etcdPerf.maintainCluster': maintainCluster,
    'etcdPerf.runCheck': runCheckCommand,
    'etcdPerf.takeSnapshot': takeSnapshot,
    'etcdPerf.generateAlertRules': generateAlertRules,
    'etcdPerf.openLastReport': openLastReport,
    'etcdPerf.showLog': async (c) => c.log.show(),
    'etcdPerf.defragmentThisMember': defragmentThisMember,
    'etcdPerf.startDemoCluster': startDemoCluster,
    'etcdPerf.stopDemoCluster': stopDemoCluster,
    'etcdPerf.runCheckForThisMember': runCheckForThisMember,
    'etcdPerf.addKubernetesContext': addKubernetesContext,
  };
  for (const [id, handler] of Object.entries(commands)) register(context, id, handler);
  startStatusBar(context);
  registerConfigDiagnostics(extension);
}

export function deactivate(): void {
  // Everything registered is disposed through the extension's subscriptions.
}
