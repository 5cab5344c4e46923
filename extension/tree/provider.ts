// The etcd view: clusters -> members -> findings, from `status` reports (the members themselves, analysed; no pod
// logs or deployment audit on every refresh). One provider, one EventEmitter; a cluster that cannot be read shows a
// message node, never an exception.

import * as vscode from 'vscode';
import type { Finding } from '../../shared/analyse/finding.ts';
import type { CheckReport, MemberReport } from '../../shared/analyse/report.ts';
import { runStatus, worstSeverity } from '../../shared/entry/check.ts';
import { configuredClusters, connectionFor, type ClusterSetting } from '../clusters.ts';
import { errorText } from '../say.ts';
import { clusterView, findingView, memberFindings, memberView, messageView, type NodeView } from './model.ts';

export type Node =
  | { kind: 'cluster'; cluster: ClusterSetting }
  | { kind: 'member'; cluster: ClusterSetting; member: MemberReport }
  | { kind: 'finding'; finding: Finding }
  | { kind: 'message'; text: string };

interface ClusterState {
  report?: CheckReport;
  error?: string;
  loading: boolean;
}

export class ClusterTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly states = new Map<string, ClusterState>();
  private refreshing: Promise<void> | undefined;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: vscode.OutputChannel) {}

  report(cluster: string): CheckReport | undefined {
    return this.states.get(cluster)?.report;
  }

  /** Re-reads every cluster (in parallel); concurrent calls share one refresh. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readAll().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async readAll(): Promise<void> {
    const clusters = configuredClusters();
    for (const name of [...this.states.keys()]) if (!clusters.some((c) => c.name === name)) this.states.delete(name);
    await Promise.all(clusters.map(async (cluster) => {
      const state = this.states.get(cluster.name) ?? { loading: true };
      state.loading = true;
      this.states.set(cluster.name, state);
      try {
        state.report = await runStatus(await connectionFor(cluster, this.secrets));
        state.error = undefined;
      } catch (error) {
        state.error = errorText(error);
        this.log.appendLine(`[${new Date().toISOString()}] ${cluster.name}: ${state.error}`);
      } finally {
        state.loading = false;
      }
    }));
    this.changed.fire(undefined);
  }

  worstSeverity(): ReturnType<typeof worstSeverity> | undefined {
    const reports = [...this.states.values()].flatMap((s) => (s.report ? [s.report] : []));
    if (reports.length === 0) return undefined;
    const errors = [...this.states.values()].some((s) => s.error);
    return errors ? 'crit' : worstSeverity(reports.flatMap((r) => r.findings));
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
        const state = this.states.get(node.cluster.name);
        if (state?.report) return clusterView(node.cluster.name, state.report);
        return { label: node.cluster.name, description: state?.error ? 'unreadable' : 'reading…', icon: { id: state?.error ? 'error' : 'loading~spin' }, contextValue: 'etcdCluster', collapsible: true };
      }
      case 'member': {
        const report = this.states.get(node.cluster.name)?.report;
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
      if (this.states.size === 0 && configuredClusters().length > 0) void this.refresh();
      return configuredClusters().map((cluster) => ({ kind: 'cluster', cluster }));
    }
    if (node.kind === 'cluster') {
      const state = this.states.get(node.cluster.name);
      if (!state || (state.loading && !state.report)) {
        await this.refresh();
      }
      const now = this.states.get(node.cluster.name);
      if (now?.error && !now.report) return [{ kind: 'message', text: now.error }];
      return (now?.report?.members ?? []).map((member) => ({ kind: 'member', cluster: node.cluster, member }));
    }
    if (node.kind === 'member') {
      const report = this.states.get(node.cluster.name)?.report;
      return report ? memberFindings(report, node.member).map((finding) => ({ kind: 'finding', finding })) : [];
    }
    return [];
  }
}
