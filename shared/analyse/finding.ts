// Findings are data: a stable id from the catalogue, a severity, what was measured against which threshold, the
// evidence, and a concrete recommendation. Renderers and exit codes work from these alone.

export type Severity = 'ok' | 'info' | 'warn' | 'crit';
export type Category = 'disk' | 'network' | 'capacity' | 'overload' | 'membership' | 'observability' | 'version';

export interface Finding {
  id: string;
  severity: Severity;
  category: Category;
  /** Member name, when the finding is about one member. */
  member?: string;
  title: string;
  value: number | string | null;
  threshold: number | string | null;
  evidence: string;
  recommendation: string;
}

export const SEVERITY_RANK: Record<Severity, number> = { ok: 0, info: 1, warn: 2, crit: 3 };

export function atLeast(severity: Severity, floor: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[floor];
}

/** The most severe of the findings ('ok' for none). */
export function worstSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity {
  return findings.reduce<Severity>((worst, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst] ? f.severity : worst), 'ok');
}

/** Whether any finding is at least `floor` severe: what fails a run (--fail-on). */
export function anyAtLeast(findings: readonly Pick<Finding, 'severity'>[], floor: Severity): boolean {
  return findings.some((f) => atLeast(f.severity, floor));
}
