// Clusters from the `etcdPerf.clusters` setting, turned into the core's connection options: direct endpoints, or a
// kubeconfig context whose etcd pods are reached through the API server (the Kubernetes transport). Passwords are
// never in settings: asked for once, kept in VS Code's secret storage.

import * as vscode from 'vscode';
import type { ConnectionOptions } from '../shared/connect/types.ts';
import { connect } from '../shared/entry/connect.ts';

export interface KubernetesSetting {
  /** Default: the kubeconfig's current context. */
  context?: string;
  /** Default: KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  namespace?: string;
  selector?: string;
}

export interface ClusterSetting {
  name: string;
  endpoints?: string[];
  kubernetes?: KubernetesSetting;
  cacert?: string;
  cert?: string;
  key?: string;
  user?: string;
}

/** Clusters that live only as long as this window (the local demo cluster). */
const transient: ClusterSetting[] = [];

export function addTransientCluster(cluster: ClusterSetting): void {
  transient.push(cluster);
}

export function removeTransientCluster(name: string): void {
  const index = transient.findIndex((c) => c.name === name);
  if (index >= 0) transient.splice(index, 1);
}

export function configuredClusters(): ClusterSetting[] {
  const value = vscode.workspace.getConfiguration('etcdPerf').get<unknown[]>('clusters') ?? [];
  const fromSettings = value.filter((c): c is ClusterSetting =>
    typeof c === 'object' && c !== null && typeof (c as ClusterSetting).name === 'string'
    && (Array.isArray((c as ClusterSetting).endpoints) || (typeof (c as ClusterSetting).kubernetes === 'object' && (c as ClusterSetting).kubernetes !== null)));
  return [...fromSettings, ...transient];
}

const secretKey = (cluster: ClusterSetting): string => `etcdPerf.password.${cluster.name}`;

/** The core's options for a cluster; asks for the password (once) when the cluster has a user. */
export async function connectionFor(cluster: ClusterSetting, secrets: vscode.SecretStorage): Promise<ConnectionOptions> {
  if (cluster.kubernetes) {
    return connect({ ...cluster.kubernetes, via: 'kubernetes' }, { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME });
  }
  let password: string | undefined;
  if (cluster.user && !cluster.user.includes(':')) {
    password = await secrets.get(secretKey(cluster));
    if (password === undefined) {
      password = await vscode.window.showInputBox({
        title: `etcd password for ${cluster.user} on ${cluster.name}`, password: true, ignoreFocusOut: true,
        prompt: 'Kept in VS Code\'s secret storage, never in settings.',
      });
      if (password === undefined) throw new Error(`no password given for ${cluster.user} on ${cluster.name}`);
      await secrets.store(secretKey(cluster), password);
    }
  }
  return connect({
    via: 'endpoints', endpoints: (cluster.endpoints ?? []).join(','), cacert: cluster.cacert, cert: cluster.cert, key: cluster.key,
    user: cluster.user, password,
  }, {});
}
