// Every command goes through here: a failure becomes an error message in the extension's words with a "Show Log"
// action and a log entry, never an unhandled exception.

import * as vscode from 'vscode';
import { errorText } from '../say.ts';
import type { ClusterTreeProvider } from '../tree/provider.ts';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  tree: ClusterTreeProvider;
  log: vscode.OutputChannel;
}

export function register(
  context: CommandContext, id: string, handler: (context: CommandContext, ...args: never[]) => Promise<void>,
): void {
  context.extension.subscriptions.push(vscode.commands.registerCommand(id, async (...args: never[]) => {
    try {
      await handler(context, ...args);
    } catch (error) {
      const message = errorText(error);
      context.log.appendLine(`[${new Date().toISOString()}] ${id}: ${error instanceof Error ? error.stack ?? message : message}`);
      const choice = await vscode.window.showErrorMessage(`etcd: ${message}`, 'Show Log');
      if (choice === 'Show Log') context.log.show();
    }
  }));
}
