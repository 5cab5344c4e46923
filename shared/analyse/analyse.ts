// Analysis: every rule over the snapshot, then a verdict naming the status and the likely bottleneck with its evidence.

import type { ClusterSnapshot } from '../collect/types.ts';
import { SEVERITY_RANK, worstSeverity, type Category, type Finding, type Severity } from './finding.ts';
import { RULES } from './rules.ts';
import { DEFAULT_ANALYSIS, type AnalysisOptions } from './thresholds.ts';

export type VerdictStatus = 'healthy' | 'degraded' | 'critical';

/** The status findings this severe give: a critical one makes it critical, a warning degraded. */
export function statusOf(severity: Severity): VerdictStatus {
  return severity === 'crit' ? 'critical' : severity === 'warn' ? 'degraded' : 'healthy';
}

export interface Verdict {
  status: VerdictStatus;
  bottleneck: Category | 'none';
  summary: string;
  evidence: string[];
}

export function analyse(cluster: ClusterSnapshot, options: AnalysisOptions = DEFAULT_ANALYSIS): Finding[] {
  return RULES.flatMap((rule) => rule(cluster, options))
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

export function verdict(findings: readonly Finding[]): Verdict {
  const problems = findings.filter((f) => f.severity === 'warn' || f.severity === 'crit');
  if (problems.length === 0) {
    return { status: 'healthy', bottleneck: 'none', summary: 'healthy: every check passed', evidence: [] };
  }
  const status = statusOf(worstSeverity(problems));
  const score = new Map<Category, number>();
  for (const f of problems) score.set(f.category, (score.get(f.category) ?? 0) + (f.severity === 'crit' ? 10 : 1));
  const [bottleneck] = [...score.entries()].sort((a, b) => b[1] - a[1])[0] as [Category, number];
  const evidence = problems.filter((f) => f.category === bottleneck).map((f) => f.title);
  const crit = problems.filter((f) => f.severity === 'crit').length;
  const warn = problems.length - crit;
  const counts = [crit ? `${crit} critical` : '', warn ? `${warn} warning${warn > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');
  return {
    status,
    bottleneck,
    summary: `${status}: ${counts}; likely bottleneck: ${bottleneck} (${evidence[0] ?? ''}${evidence.length > 1 ? `, +${evidence.length - 1} more` : ''})`,
    evidence,
  };
}
