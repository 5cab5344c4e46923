// What the editor asks of an etcd configuration file (a kubeadm static pod manifest, an etcd YAML config file, an
// ETCD_* env file): what is wrong in it and where, the text with a fix applied, and which known member it describes.

import { auditConfig, type ConfigFinding, type ConfigFix } from '../analyse/config-audit.ts';
import { memberOfConfig, type MemberMatch } from '../analyse/config-member.ts';
import type { CheckReport } from '../analyse/report.ts';
import { readEtcdConfig, setFlag, type EtcdConfig } from '../collect/etcd-config.ts';

export type { ConfigFinding, MemberMatch };

/** The file's configuration and its findings; undefined when the text is no etcd configuration. */
export function auditConfigText(text: string, fileName: string): { config: EtcdConfig; findings: ConfigFinding[] } | undefined {
  const config = readEtcdConfig(text, fileName);
  return config ? { config, findings: auditConfig(config) } : undefined;
}

/** The text with the fix applied in the file's own form. */
export function fixConfigText(text: string, config: EtcdConfig, fix: ConfigFix): string {
  return setFlag(text, config, fix.flag, fix.value);
}

/** The member of the clusters shown that the file describes, or why none. */
export function memberOfConfigText(text: string, fileName: string, clusters: Array<{ name: string; report: CheckReport }>): MemberMatch | { error: string } {
  const config = readEtcdConfig(text, fileName);
  if (!config) return { error: 'the active file is not an etcd configuration (static pod manifest, etcd config file or ETCD_* env file)' };
  return memberOfConfig(config, clusters);
}
