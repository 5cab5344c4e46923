// What the editor asks of an etcd configuration file (a kubeadm static pod manifest, an etcd YAML config file, an
// ETCD_* env file): what is wrong in it and where, the text with a fix applied, and which known member it describes.

import { auditConfig, type ConfigFinding, type ConfigFix } from '../analyse/config-audit.ts';
import { memberOfConfig, type MemberMatch } from '../analyse/config-member.ts';
import type { CheckReport } from '../analyse/report.ts';
import { readEtcdConfig, removeFlag, renameFlag, setFlag, type EtcdConfig } from '../collect/etcd-config.ts';

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
    ...(f.fix ? { fix: { title: fixTitle(f.fix), text: fixed(text, fileName, config, f.fix) } } : {}),
  }));
}

function where(text: string, finding: ConfigFinding): { start: number; end: number } {
  if (finding.span.start !== finding.span.end) return { start: finding.span.start, end: finding.span.end };
  // A missing flag goes in after the line the insertion point ends: mark that line.
  const lineEnd = text[finding.span.start - 1] === '\n' ? finding.span.start - 1 : finding.span.start;
  return { start: text.lastIndexOf('\n', lineEnd - 1) + 1, end: lineEnd };
}

const fixTitle = (fix: ConfigFix): string => (fix.replaces ? `Replace --${fix.replaces} with --${fix.flag}=${fix.value}` : `Set --${fix.flag}=${fix.value}`);

/** The text with the fix applied: a renamed flag takes the old one's place; a feature gate joins the others, the old flag goes. */
function fixed(text: string, fileName: string, config: EtcdConfig, fix: ConfigFix): string {
  if (!fix.replaces) return setFlag(text, config, fix.flag, fix.value);
  if (!config.flags.has(fix.flag)) return renameFlag(text, config, fix.replaces, fix.flag, fix.value);
  const set = setFlag(text, config, fix.flag, fix.value);
  const after = readEtcdConfig(set, fileName);
  return after ? removeFlag(set, after, fix.replaces) : set;
}

/** The member of the clusters shown that the file describes, or why none. */
export function memberOfConfigText(text: string, fileName: string, clusters: Array<{ name: string; report: CheckReport }>): MemberMatch | { error: string } {
  const config = readEtcdConfig(text, fileName);
  if (!config) return { error: 'the active file is not an etcd configuration (static pod manifest, etcd config file or ETCD_* env file)' };
  return memberOfConfig(config, clusters);
}
