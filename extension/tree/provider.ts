// The etcd view: clusters -> members -> findings, from `status` reports (the members themselves, analysed; no pod
// logs or deployment audit on every refresh). One provider, one EventEmitter; a cluster that cannot be read shows a
// message node, never an exception.

import * as vscode from 'vscode';
import {
  type CheckReport, type ClusterSpec, type Finding, Fleet, memberFindings, type MemberReport, runStatus, type VerdictStatus,
} from '../../shared/entry/index.ts';
import { configuredClusters, connectionFor } from '../clusters.ts';
import { errorText } from '../say.ts';
import { clusterView, findingView, memberView, messageView, type NodeView } from './model.ts';

export type Node =
  | { kind: 'cluster'; cluster: ClusterSpec }
  | { kind: 'member'; cluster: ClusterSpec; member: MemberReport }
  | { kind: 'finding'; finding: Finding }
  | { kind: 'message'; text: string };

export class ClusterTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly fleet: Fleet;

  constructor(secrets: vscode.SecretStorage, log: vscode.OutputChannel) {
    this.fleet = new Fleet(
      async (cluster) => runStatus(await connectionFor(cluster, secrets)),
      (name, error) => log.appendLine(`[${new Date().toISOString()}] ${name}: ${errorText(error)}`),
    );
  }

  report(cluster: string): CheckReport | undefined {
    return this.fleet.state(cluster)?.report;
  }

  /** Re-reads every cluster (in parallel); concurrent calls share one refresh. */
  async refresh(): Promise<void> {
    await this.fleet.refresh(configuredClusters());
    this.changed.fire(undefined);
  }

  /** The status over the clusters shown (critical when one could not be read). */
  status(): VerdictStatus | undefined {
    return this.fleet.status();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const view = this.view(node);
    const item = new vscode.TreeItem(view.label, view.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    if (node.kind === 'cluster') item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    item.description = view.description;
    item.tooltip = view.tooltip;
    item.contextValue = view.contextValue;
    item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
    return item;
  }

  private view(node: Node): NodeView {
    switch (node.kind) {
      case 'cluster': {
        const state = this.fleet.state(node.cluster.name);
        if (state?.report) return clusterView(node.cluster.name, state.report);
        const failed = state?.error !== undefined;
        return { label: node.cluster.name, description: failed ? 'unreadable' : 'reading…', icon: { id: failed ? 'error' : 'loading~spin' }, contextValue: 'etcdCluster', collapsible: true };
      }
      case 'member': {
        const report = this.report(node.cluster.name);
        return report ? memberView(report, node.member) : messageView(node.member.name);
      }
      case 'finding':
        return findingView(node.finding);
      default:
        return messageView(node.text);
    }
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      if (configuredClusters().some((c) => !this.fleet.state(c.name))) void this.refresh();
      return configuredClusters().map((cluster) => ({ kind: 'cluster', cluster }));
    }
    if (node.kind === 'cluster') {
      const state = this.fleet.state(node.cluster.name);
      if (!state || (state.loading && !state.report)) await this.refresh();
      const now = this.fleet.state(node.cluster.name);
      if (now?.error !== undefined && !now.report) return [{ kind: 'message', text: errorText(now.error) }];
      return (now?.report?.members ?? []).map((member) => ({ kind: 'member', cluster: node.cluster, member }));
    }
    if (node.kind === 'member') {
      const report = this.report(node.cluster.name);
      return report ? memberFindings(report, node.member).map((finding) => ({ kind: 'finding', finding })) : [];
    }
    return [];
  }
}
