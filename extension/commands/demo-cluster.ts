// "Start Local Demo Cluster": the same throwaway 3-member cluster as `npm run demo` (etcd on loopback, real
// fragmentation), shown in the view until the window closes or "Stop Local Demo Cluster".

import * as vscode from 'vscode';
import { startDemoCluster as startCluster, type LocalCluster } from '../../shared/demo/local-cluster.ts';
import { addTransientCluster, removeTransientCluster } from '../clusters.ts';
import type { CommandContext } from './register.ts';

const NAME = 'local demo';
let running: LocalCluster | undefined;

export async function startDemoCluster(context: CommandContext): Promise<void> {
  if (running) {
    void vscode.window.showInformationMessage(`The local demo cluster is already running: ${running.endpoints.join(', ')}`);
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Local demo cluster' }, async (progress) => {
    let done = 0;
    const cluster = await startCluster({ rounds: 12, exitHooks: false, onProgress: (message, fraction) => {
      progress.report({ message, increment: (fraction - done) * 100 });
      done = fraction;
    } });
    running = cluster;
    context.extension.subscriptions.push({ dispose: () => cluster.disposeSync() });
    addTransientCluster({ name: NAME, endpoints: cluster.endpoints });
    context.log.appendLine(`local demo cluster: ${cluster.endpoints.join(', ')} (data in ${cluster.dir})`);
  });
  await context.tree.refresh();
}

export async function stopDemoCluster(context: CommandContext): Promise<void> {
  if (!running) throw new Error('no local demo cluster is running');
  await running.dispose();
  running = undefined;
  removeTransientCluster(NAME);
  await context.tree.refresh();
}
