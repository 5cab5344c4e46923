// Fetches a member's /metrics and parses the series analysis and maintenance read (the rest is skipped unparsed).

import { httpGetText } from '../connect/http.ts';
import type { ConnectionOptions } from '../connect/options.ts';
import { looksLikeEtcd, USED_METRIC_PREFIXES } from './member-metrics.ts';
import { parsePrometheusText, type Sample } from './prometheus-text.ts';

export async function scrapeMetrics(url: string, options: ConnectionOptions): Promise<Sample[]> {
  const text = await httpGetText(url, options);
  const samples = parsePrometheusText(text, USED_METRIC_PREFIXES);
  if (!looksLikeEtcd(samples)) throw new Error(`${url} serves no etcd metrics`);
  return samples;
}
