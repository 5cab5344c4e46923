// Runs inside VS Code's extension host: the extension's wiring (activation, the view, every command of the manifest
// registered, an empty configuration handled). Bundled and started by test/e2e/test-electron.test.ts, in
// code-server's extension host and, where VS Code can be downloaded, under @vscode/test-electron.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../package.json';

export async function run(): Promise<void> {
  const extension = vscode.extensions.all.find((e) => e.packageJSON.name === 'etcd-perf');
  assert.ok(extension, 'the extension is installed in the development host');
  await vscode.commands.executeCommand('workbench.view.extension.etcdPerf');
  await extension.activate();
  const registered = await vscode.commands.getCommands(true);
  for (const { command } of manifest.contributes.commands) assert.ok(registered.includes(command), `${command} is registered`);
  await vscode.commands.executeCommand('etcdPerf.refresh');
}
