// Fetches a member's /metrics and parses the series analysis and maintenance read (the rest is skipped unparsed).

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
