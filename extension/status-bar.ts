// The status bar item (worst severity over the clusters shown) and the auto-refresh timer (etcdPerf.refreshSeconds).

import * as vscode from 'vscode';
import type { CommandContext } from './commands/register.ts';

const ICON = { healthy: 'pass', degraded: 'warning', critical: 'error' } as const;

export function startStatusBar(context: CommandContext): void {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  item.command = 'workbench.view.extension.etcdPerf';
  const update = (): void => {
    const status = context.tree.status();
    if (!status) {
      item.hide();
      return;
    }
    item.text = `$(${ICON[status]}) etcd ${status}`;
    item.tooltip = 'Worst finding over the etcd clusters shown';
    item.show();
  };
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearInterval(timer);
    const seconds = vscode.workspace.getConfiguration('etcdPerf').get<number>('refreshSeconds') ?? 30;
    timer = seconds > 0 ? setInterval(() => void context.tree.refresh(), seconds * 1000) : undefined;
  };
  schedule();
  context.extension.subscriptions.push(
    item,
    context.tree.onDidChangeTreeData(update),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('etcdPerf.refreshSeconds')) schedule();
      if (event.affectsConfiguration('etcdPerf.clusters')) void context.tree.refresh();
    }),
    { dispose: () => { if (timer) clearInterval(timer); } },
  );
}
