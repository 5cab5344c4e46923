// Clusters from the `etcdPerf.clusters` setting (plus the demo cluster while it runs), reached the core's way.
// Passwords are never in settings: asked for once, kept in VS Code's secret storage.

import * as vscode from 'vscode';
import {
  type ClusterSpec, clusterSpecs, connectCluster, type ConnectionOptions, needsPassword,
} from '../shared/entry/index.ts';

/** Clusters that live only as long as this window (the local demo cluster). */
const transient: ClusterSpec[] = [];

export function addTransientCluster(cluster: ClusterSpec): void {
  transient.push(cluster);
}

export function removeTransientCluster(name: string): void {
  const index = transient.findIndex((c) => c.name === name);
  if (index >= 0) transient.splice(index, 1);
}

export function configuredClusters(): ClusterSpec[] {
  return [...clusterSpecs(vscode.workspace.getConfiguration('etcdPerf').get<unknown[]>('clusters')), ...transient];
}

/** The core's options for a cluster; asks for the password (once) when the cluster has a user. */
export async function connectionFor(cluster: ClusterSpec, secrets: vscode.SecretStorage): Promise<ConnectionOptions> {
  const key = `etcdPerf.password.${cluster.name}`;
  let password = needsPassword(cluster) ? await secrets.get(key) : undefined;
  if (needsPassword(cluster) && password === undefined) {
    password = await vscode.window.showInputBox({
      title: `etcd password for ${cluster.user} on ${cluster.name}`, password: true, ignoreFocusOut: true,
      prompt: 'Kept in VS Code\'s secret storage, never in settings.',
    });
    if (password === undefined) throw new Error(`no password given for ${cluster.user} on ${cluster.name}`);
    await secrets.store(key, password);
  }
  return connectCluster(cluster, password, process.env);
}
