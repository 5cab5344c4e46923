// Fetches a member's /metrics and parses the series analysis and maintenance read (the rest is skipped unparsed), and its
// /readyz beside it on the same listener.

import { transportOf } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { looksLikeEtcd, USED_METRIC_PREFIXES } from './member-metrics.ts';
import { parsePrometheusText, type Sample } from './prometheus-text.ts';

/** The /metrics of the member whose client endpoint is `endpoint`, at `url`, through the connection's transport. */
export async function scrapeMetrics(endpoint: string, url: string, options: ConnectionOptions): Promise<Sample[]> {
  const text = await transportOf(options).metricsText(endpoint, url, options);
  const samples = parsePrometheusText(text, USED_METRIC_PREFIXES);
  if (!looksLikeEtcd(samples)) throw new Error(`${url} serves no etcd metrics`);
  return samples;
}

/** What a member's /readyz?verbose says: ready or not, and the checks that failed with etcd's reason. */
export interface Readiness {
  /** Where it was asked. */
  url: string;
  ready: boolean;
  /** "linearizable_read: etcdserver: request timed out", as "[-]check failed: reason" lines say. */
  failed: string[];
}

export function parseReadyz(status: number, body: string): Omit<Readiness, 'url'> {
  const failed = body.split('\n').flatMap((line) => {
    const match = /^\[-\](\S+) failed(?:: (.*))?$/.exec(line.trim());
    return match ? [`${match[1]}${match[2] ? `: ${match[2]}` : ''}`] : [];
  });
  return { ready: status === 200, failed };
}

/** The member's /readyz?verbose on its metrics listener; null when it has none (etcd before 3.4.29 / 3.5.11). */
export async function readReadiness(endpoint: string, metricsUrl: string, options: ConnectionOptions): Promise<Readiness | null> {
  const url = `${metricsUrl.replace(/\/metrics$/, '')}/readyz?verbose`;
  const reply = await transportOf(options).httpGet(endpoint, url, options);
  if (reply.status === 404) return null;
  if (reply.status !== 200 && reply.status !== 503) throw new Error(`HTTP ${reply.status} from ${url}`);
  return { url, ...parseReadyz(reply.status, reply.body) };
}
