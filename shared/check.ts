// The core's entry point for `check` and `status`: collect, then analyse, into the report model.

import { collectCluster } from './collect/cluster.ts';
import { parseLogSource, type LogSource } from './collect/etcd-log.ts';
import type { PrometheusSource } from './collect/prometheus-source.ts';
import type { ConnectionOptions } from './connect/options.ts';
import type { Logger } from './ports.ts';
import { buildReport, type CheckReport } from './report.ts';
import type { KeyspaceReport } from './collect/keyspace.ts';
import { transportOf } from './connect/member.ts';
import { runKeyspace } from './keyspace.ts';
import { MiB } from './util/bytes.ts';
import { describeError } from './util/errors.ts';

export interface CheckOptions {
  windowMs: number;
  heartbeatMs: number;
  electionMs?: number;
  logger?: Logger;
  signal?: AbortSignal;
  /** Metrics from this Prometheus server over its range, instead of scraping the members over windowMs. */
  prometheus?: PrometheusSource;
  /** Also walk the keyspace (after the window, so the walk does not weigh on the measured latency). */
  deep?: boolean;
  /** etcd log files to read with it (their findings; the report's timeline). */
  logFiles?: LogSource[];
}

/** The keyspace walk of check --deep: every key under /, serializable from a follower, top 10. */
async function deepKeyspace(connection: ConnectionOptions): Promise<KeyspaceReport | { error: string }> {
  if (transportOf(connection).kind !== 'grpc') return { error: 'through Kubernetes the members are not reached over gRPC (run keyspace with --endpoints)' };
  try {
    return await runKeyspace(connection, { prefix: '/', depth: 2, byNamespace: false, top: 10, rateLimit: 0, keysOnly: false, serializable: true, pageKeys: 1000, pageBytes: 4 * MiB });
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** How far back `check` reads the members' logs, where it can (Kubernetes). */
export const LOG_SECONDS = 3600;

export async function runCheck(connection: ConnectionOptions, options: CheckOptions): Promise<CheckReport> {
  const snapshot = await collectCluster(connection, {
    windowMs: options.windowMs, logger: options.logger, signal: options.signal, prometheus: options.prometheus,
    deploymentLogSeconds: Math.max(LOG_SECONDS, Math.ceil(options.windowMs / 1000)),
  });
  if (options.deep) snapshot.keyspace = await deepKeyspace(connection);
  if (options.logFiles?.length) snapshot.logFiles = options.logFiles.map(parseLogSource);
  return buildReport(snapshot, { heartbeatMs: options.heartbeatMs, electionMs: options.electionMs });
}
