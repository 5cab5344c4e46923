// The core's entry point for `check` and `status`: collect, then analyse, into the report model.

import { collectCluster } from './collect/cluster.ts';
import type { PrometheusSource } from './collect/prometheus-source.ts';
import type { ConnectionOptions } from './connect/options.ts';
import type { Logger } from './ports.ts';
import { buildReport, type CheckReport } from './report.ts';

export interface CheckOptions {
  windowMs: number;
  heartbeatMs: number;
  electionMs?: number;
  logger?: Logger;
  signal?: AbortSignal;
  /** Metrics from this Prometheus server over its range, instead of scraping the members over windowMs. */
  prometheus?: PrometheusSource;
}

/** How far back `check` reads the members' logs, where it can (Kubernetes). */
export const LOG_SECONDS = 3600;

export async function runCheck(connection: ConnectionOptions, options: CheckOptions): Promise<CheckReport> {
  const snapshot = await collectCluster(connection, {
    windowMs: options.windowMs, logger: options.logger, signal: options.signal, prometheus: options.prometheus,
    deploymentLogSeconds: Math.max(LOG_SECONDS, Math.ceil(options.windowMs / 1000)),
  });
  return buildReport(snapshot, { heartbeatMs: options.heartbeatMs, electionMs: options.electionMs });
}
