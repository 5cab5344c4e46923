// What the tree shows, from the report model: labels, descriptions, icons and tooltips as plain data. No vscode here,
// so it is tested directly; provider.ts turns these into TreeItems. contextValue strings are an API: the manifest's
// `when` clauses match them (etcdMember.<role>: leader, follower, learner, or down, which offers no maintenance).

import type { Finding, Severity } from '../../shared/analyse/finding.ts';
import type { CheckReport, MemberReport } from '../../shared/analyse/report.ts';
import { worstSeverity } from '../../shared/entry/check.ts';
import { formatBytes } from '../../shared/util/bytes.ts';
import { formatSecondsAsMs } from '../../shared/util/duration.ts';
import { settingWord } from '../say.ts';

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

export function memberFindings(report: CheckReport, member: MemberReport): Finding[] {
  return report.findings.filter((f) => f.member === (member.name || member.endpoint) && f.severity !== 'ok');
}

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
  const down = member.role === 'down';
  const check = member.failure?.check.length ? ` (check ${member.failure.check.map(settingWord).join(' and ')})` : '';
  const description = down
    ? `unreachable${member.error ? `: ${member.error}` : ''}`
    : `db ${formatBytes(member.dbSize ?? 0)} · frag ${Math.round(member.fragmentationPercent ?? 0)}%${member.role === 'leader' ? ' · leader' : ''}`;
  const lines = [
    `${member.name || member.endpoint} (${member.id || '?'})${member.role === 'follower' || down ? '' : ` — ${member.role}`}`,
    member.endpoint,
    down ? `error: ${member.error ?? 'no answer'}${check}` : `etcd ${member.version ?? '?'}`,
    ...(down ? [] : [
      `DB ${formatBytes(member.dbSize ?? 0)}, in use ${formatBytes(member.dbSizeInUse ?? 0)} (${(member.fragmentationPercent ?? 0).toFixed(1)}% fragmented)`,
      member.quotaBytes ? `quota ${formatBytes(member.quotaBytes)}: ${(((member.dbSize ?? 0) / member.quotaBytes) * 100).toFixed(1)}% used` : 'quota unknown',
      `raft index ${member.raftIndex ?? '?'}, applied ${member.raftAppliedIndex ?? '?'} (lag ${member.applyLag ?? '?'})`,
      member.metrics?.walFsyncP99Seconds != null ? `WAL fsync p99 ${formatSecondsAsMs(member.metrics.walFsyncP99Seconds)}` : 'WAL fsync p99 unknown',
      member.metrics?.backendCommitP99Seconds != null ? `backend commit p99 ${formatSecondsAsMs(member.metrics.backendCommitP99Seconds)}` : 'backend commit p99 unknown',
    ]),
  ];
  return {
    label: member.name || member.endpoint,
    description,
    tooltip: lines.join('\n'),
    icon: down ? SEVERITY_ICON.crit : member.role === 'leader' && severity === 'ok' ? { id: 'star-full', color: 'testing.iconPassed' } : SEVERITY_ICON[severity],
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
