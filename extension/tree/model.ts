// What the tree shows, from the report model: labels, descriptions, icons and tooltips as plain data. No vscode here,
// so it is tested directly; provider.ts turns these into TreeItems. contextValue strings are an API: the manifest's
// `when` clauses match them (etcdMember.<role>: leader, follower, learner, or down, which offers no maintenance).

import {
  type CheckReport, type Finding, memberFindings, type MemberReport, memberSummary, type Severity, worstSeverity,
} from '../../shared/entry/index.ts';
import { say } from '../say.ts';

export interface NodeView {
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, and a theme colour id for it. */
  icon: { id: string; color?: string };
  contextValue: string;
  collapsible: boolean;
}

const SEVERITY_ICON: Record<Severity, { id: string; color?: string }> = {
  crit: { id: 'error', color: 'errorForeground' },
  warn: { id: 'warning', color: 'editorWarning.foreground' },
  info: { id: 'info', color: 'editorInfo.foreground' },
  ok: { id: 'pass', color: 'testing.iconPassed' },
};

export function clusterView(name: string, report: CheckReport): NodeView {
  const problems = report.findings.filter((f) => f.severity === 'warn' || f.severity === 'crit').length;
  return {
    label: name,
    description: `${report.verdict.status}${problems ? ` · ${problems} finding${problems > 1 ? 's' : ''}` : ''}`,
    tooltip: report.verdict.summary,
    icon: SEVERITY_ICON[worstSeverity(report.findings)],
    contextValue: 'etcdCluster',
    collapsible: true,
  };
}

export function memberView(report: CheckReport, member: MemberReport): NodeView {
  const findings = memberFindings(report, member);
  const severity = worstSeverity(findings);
  const { headline, details } = memberSummary(member);
  return {
    label: member.name || member.endpoint,
    description: headline,
    tooltip: say(details.join('\n')),
    icon: member.role === 'down' ? SEVERITY_ICON.crit : member.role === 'leader' && severity === 'ok' ? { id: 'star-full', color: 'testing.iconPassed' } : SEVERITY_ICON[severity],
    contextValue: `etcdMember.${member.role}`,
    collapsible: findings.length > 0,
  };
}

export function findingView(finding: Finding): NodeView {
  return {
    label: finding.title,
    description: finding.severity,
    tooltip: [finding.evidence, finding.recommendation ? `→ ${finding.recommendation}` : ''].filter(Boolean).join('\n\n'),
    icon: SEVERITY_ICON[finding.severity],
    contextValue: 'etcdFinding',
    collapsible: false,
  };
}

export function messageView(text: string, severity: Severity = 'crit'): NodeView {
  return { label: text, icon: SEVERITY_ICON[severity], contextValue: 'etcdMessage', collapsible: false };
}
