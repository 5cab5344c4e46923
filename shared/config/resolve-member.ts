// Which member of which known cluster a configuration file describes: by its advertised client URLs, else by its
// --name. Pure: the config model and the clusters' reports in, a match (or why none) out.

import type { CheckReport, MemberReport } from '../report.ts';
import type { EtcdConfig } from './flags.ts';

export interface MemberMatch {
  cluster: string;
  member: MemberReport;
  by: 'advertise-client-urls' | 'name';
}

const normal = (url: string): string => url.trim().replace(/\/+$/, '').toLowerCase();

export function resolveMember(config: EtcdConfig, clusters: Array<{ name: string; report: CheckReport }>): MemberMatch | { error: string } {
  const urls = (config.flags.get('advertise-client-urls')?.value ?? '').split(',').map(normal).filter(Boolean);
  const name = config.flags.get('name')?.value;
  for (const { name: cluster, report } of clusters) {
    const member = report.members.find((m) => urls.includes(normal(m.endpoint)));
    if (member) return { cluster, member, by: 'advertise-client-urls' };
  }
  if (name) {
    const matches = clusters.flatMap(({ name: cluster, report }) => report.members.filter((m) => m.name === name).map((member) => ({ cluster, member })));
    if (matches.length === 1) return { ...(matches[0] as { cluster: string; member: MemberReport }), by: 'name' };
    if (matches.length > 1) return { error: `--name ${name} matches members of ${matches.map((m) => m.cluster).join(', ')}: add the cluster's endpoints to etcdPerf.clusters only once, or give --advertise-client-urls` };
  }
  return { error: `no member of the clusters shown advertises ${urls.join(', ') || '(no --advertise-client-urls)'}${name ? ` or is named ${name}` : ''}` };
}
