// What the editor asks of an etcd configuration file (a kubeadm static pod manifest, an etcd YAML config file, an
// ETCD_* env file): what is wrong in it and where, the text with a fix applied, and which known member it describes.

import { auditConfig, type ConfigFinding, type ConfigFix } from '../analyse/config-audit.ts';
import { memberOfConfig, type MemberMatch } from '../analyse/config-member.ts';
import type { CheckReport } from '../analyse/report.ts';
import { readEtcdConfig, setFlag, type EtcdConfig } from '../collect/etcd-config.ts';

export type { MemberMatch };

/** A finding of the audit where it is written: offsets into the text, what to say, and the fix with the fixed text. */
export interface ConfigProblem {
  id: string;
  severity: ConfigFinding['severity'];
  /** The flag's entry; for a missing flag, the whole line after which it would be added. */
  start: number;
  end: number;
  message: string;
  fix?: { title: string; text: string };
}

/** Whether the text is an etcd configuration (a manifest, a config file, an env file). */
export function isEtcdConfig(text: string, fileName: string): boolean {
  return readEtcdConfig(text, fileName) !== undefined;
}

/** What is wrong in the file and where; undefined when the text is no etcd configuration. */
export function configProblems(text: string, fileName: string): ConfigProblem[] | undefined {
  const config = readEtcdConfig(text, fileName);
  if (!config) return undefined;
  return auditConfig(config).map((f) => ({
    id: f.id, severity: f.severity, ...where(text, f),
    message: `${f.title}. ${f.recommendation}`,
    ...(f.fix ? { fix: { title: `Set --${f.fix.flag}=${f.fix.value}`, text: fixed(text, config, f.fix) } } : {}),
  }));
}

function where(text: string, finding: ConfigFinding): { start: number; end: number } {
  if (finding.span.start !== finding.span.end) return { start: finding.span.start, end: finding.span.end };
  // A missing flag goes in after the line the insertion point ends: mark that line.
  const lineEnd = text[finding.span.start - 1] === '\n' ? finding.span.start - 1 : finding.span.start;
  return { start: text.lastIndexOf('\n', lineEnd - 1) + 1, end: lineEnd };
}

function fixed(text: string, config: EtcdConfig, fix: ConfigFix): string {
  return setFlag(text, config, fix.flag, fix.value);
}

/** The member of the clusters shown that the file describes, or why none. */
export function memberOfConfigText(text: string, fileName: string, clusters: Array<{ name: string; report: CheckReport }>): MemberMatch | { error: string } {
  const config = readEtcdConfig(text, fileName);
  if (!config) return { error: 'the active file is not an etcd configuration (static pod manifest, etcd config file or ETCD_* env file)' };
  return memberOfConfig(config, clusters);
}
