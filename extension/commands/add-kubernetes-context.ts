// "etcd: Add Kubernetes Context": pick a context of the kubeconfig (KUBECONFIG, then ~/.kube/config) and add it to
// the etcdPerf.clusters setting; its etcd pods are then read through the API server, like `kubectl etcd-perf`.

import * as vscode from 'vscode';
import { type ClusterSpec, kubeContexts } from '../../shared/entry/index.ts';
import { configuredClusters } from '../clusters.ts';
import type { CommandContext } from './register.ts';

export async function addKubernetesContext(context: CommandContext): Promise<void> {
  const kube = await kubeContexts(process.env);
  const shown = new Set(configuredClusters().map((c) => c.kubernetes?.context).filter(Boolean));
  const items = kube.contexts.map((c) => ({
    label: c.name,
    description: `${c.cluster}${c.name === kube.current ? ' · current' : ''}${shown.has(c.name) ? ' · already shown' : ''}`,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Kubernetes context whose etcd pods to show', placeHolder: 'context' });
  if (!picked) return;
  const settings = vscode.workspace.getConfiguration('etcdPerf');
  const current = settings.get<ClusterSpec[]>('clusters') ?? [];
  await settings.update('clusters', [...current, { name: picked.label, kubernetes: { context: picked.label } }], vscode.ConfigurationTarget.Global);
  context.log.appendLine(`added Kubernetes context ${picked.label} (etcd pods: kube-system, component=etcd)`);
  context.tree.refresh();
}
