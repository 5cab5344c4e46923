// Which member of which known cluster a configuration file describes: the one its advertised client URLs name, else
// the one its --name names. Pure: the config model and the clusters' reports in, a match (or why none) out.

import type { EtcdConfig } from '../collect/etcd-config.ts';
import { selects } from './members.ts';
import type { CheckReport, MemberReport } from './report.ts';

export interface MemberMatch {
  cluster: string;
  member: MemberReport;
  by: 'advertise-client-urls' | 'name';
}

export function memberOfConfig(config: EtcdConfig, clusters: Array<{ name: string; report: CheckReport }>): MemberMatch | { error: string } {
  const urls = (config.flags.get('advertise-client-urls')?.value ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  const name = config.flags.get('name')?.value;
  for (const { name: cluster, report } of clusters) {
    const member = report.members.find((m) => urls.some((url) => selects(m, url)));
    if (member) return { cluster, member, by: 'advertise-client-urls' };
  }
  if (name) {
    const matches = clusters.flatMap(({ name: cluster, report }) => report.members.filter((m) => m.name === name).map((member) => ({ cluster, member })));
    if (matches.length === 1) return { ...(matches[0] as { cluster: string; member: MemberReport }), by: 'name' };
    if (matches.length > 1) {
      return { error: `--name ${name} matches members of ${matches.map((m) => m.cluster).join(', ')}: show each cluster only once, or give the member --advertise-client-urls in the file` };
    }
  }
  return { error: `no member of the clusters shown advertises ${urls.join(', ') || '(no --advertise-client-urls)'}${name ? ` or is named ${name}` : ''}` };
}
