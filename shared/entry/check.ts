// What `check`, `report`, `status` and `watch` ask, and what the VS Code view and its Run Check show: collect, then
// analyse, into the report model. `check` also reads how the members are deployed and their logs (through
// Kubernetes), walks the keyspace with `deep`, and reads given log files; `status` (and a watch frame, and the
// view's refresh) reads only the members themselves.

import { anyAtLeast, worstSeverity } from '../analyse/finding.ts';
import { buildReport, memberFindings, reportFailure, type CheckReport } from '../analyse/report.ts';
import { failureError } from '../analyse/members.ts';
import { DEFAULT_ANALYSIS } from '../analyse/thresholds.ts';
import { collectCluster } from '../collect/cluster.ts';
import { parseLogSource, type LogSource } from '../collect/etcd-log.ts';
import type { KeyspaceReport } from '../collect/keyspace.ts';
import { parseSelector } from '../collect/label-matchers.ts';
import type { PrometheusSource } from '../collect/prometheus-source.ts';
import { transportOf } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import type { Logger } from '../ports.ts';
import { describeError, input, UsageError } from '../util/errors.ts';
import { choice, duration, positiveDuration, type InputSpec } from '../util/input.ts';
import { DEEP_WALK, runKeyspace } from './keyspace.ts';

export { anyAtLeast, memberFindings, reportFailure, worstSeverity };

/** What a check measures when nothing else is said: a 10 s window, etcd's default raft timing. */
export const CHECK_DEFAULTS = { window: '10s', heartbeatInterval: '100ms', electionTimeout: '1000ms', range: '1h' } as const;

/** Throws when not one member answered: a usage error for refused credentials or RBAC, otherwise UnreachableError. */
export function failIfNothingAnswered(report: CheckReport): void {
  const failure = reportFailure(report);
  if (failure) throw failureError(failure);
}

/** When a run fails (exit 1): a finding at least this severe. check and logs take it. */
export const FAIL_ON_INPUT: InputSpec<'failOn'> = { name: 'failOn', value: 'severity', default: 'crit', help: 'exit 1 when a finding is at least this severe: warn or crit' };

/** The least severe finding that fails the run (default crit). */
export function failOnSeverity(given: string | undefined): 'warn' | 'crit' {
  return choice(given ?? 'crit', ['warn', 'crit'] as const, 'failOn', 'severity');
}

/** How far back `check` reads the members' logs, where it can (Kubernetes). */
export const LOG_SECONDS = 3600;

/** What a check measures with: the window, the raft timing to judge RTT by, or Prometheus' history; and what else to read. */
export const CHECK_INPUTS: ReadonlyArray<InputSpec<keyof CheckInput | 'log'>> = [
  { name: 'window', value: 'duration', default: CHECK_DEFAULTS.window, help: 'measure latency and counters over this window (0: lifetime counters)' },
  { name: 'heartbeatInterval', value: 'duration', default: CHECK_DEFAULTS.heartbeatInterval, help: 'the cluster\'s --heartbeat-interval, to judge peer RTT (through Kubernetes: read from the pods)' },
  { name: 'electionTimeout', value: 'duration', default: CHECK_DEFAULTS.electionTimeout, help: 'the cluster\'s --election-timeout, judged against the RTT and the heartbeat (through Kubernetes: read from the pods)' },
  { name: 'prometheusUrl', value: 'url', help: `take the members' metrics from this Prometheus server (over ${input('range')}) instead of scraping them` },
  { name: 'range', value: 'duration', default: CHECK_DEFAULTS.range, help: `with ${input('prometheusUrl')}: how much history to judge latency and counters over` },
  { name: 'prometheusSelector', value: 'matchers', help: `with ${input('prometheusUrl')}: label matchers for etcd's series, e.g. job="etcd"` },
  { name: 'deep', help: 'also walk the keyspace after the window (what fills etcd; see keyspace)' },
  { name: 'log', value: 'file', repeatable: true, help: 'also read this etcd log file (- for stdin; repeatable): its findings, the timeline of slow events (through Kubernetes the pods\' logs are read anyway)' },
];

/** A check as the user asks it, values as typed (undefined: the default). */
export interface CheckInput {
  window?: string;
  heartbeatInterval?: string;
  electionTimeout?: string;
  /** Take the metrics from this Prometheus server (over `range`) instead of scraping the members. */
  prometheusUrl?: string;
  range?: string;
  prometheusSelector?: string;
  /** Also walk the keyspace (after the window, so the walk does not weigh on the measured latency). */
  deep?: boolean;
  /** etcd log files read with it (their findings; the report's timeline). */
  logFiles?: LogSource[];
}

export interface CheckRequest {
  windowMs: number;
  heartbeatMs: number;
  electionMs: number;
  prometheus?: Omit<PrometheusSource, 'timeoutMs'>;
  deep: boolean;
  logFiles: LogSource[];
}

/** The request, every value checked (a bad one is a usage error naming its field) before anything is dialled. */
export function checkRequest(given: CheckInput): CheckRequest {
  return {
    windowMs: duration(given.window ?? CHECK_DEFAULTS.window, 'window'),
    heartbeatMs: positiveDuration(given.heartbeatInterval ?? CHECK_DEFAULTS.heartbeatInterval, 'heartbeatInterval'),
    electionMs: positiveDuration(given.electionTimeout ?? CHECK_DEFAULTS.electionTimeout, 'electionTimeout'),
    ...(given.prometheusUrl !== undefined ? { prometheus: prometheusSource(given) } : {}),
    deep: given.deep === true,
    logFiles: given.logFiles ?? [],
  };
}

function prometheusSource(given: CheckInput): Omit<PrometheusSource, 'timeoutMs'> {
  const url = given.prometheusUrl ?? '';
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new UsageError(`expected http(s)://host:port, got "${url}"`, 'prometheusUrl');
  const rangeMs = duration(given.range ?? CHECK_DEFAULTS.range, 'range',
    { ok: (ms) => ms >= 60_000, says: `${input('range')} must be at least 1m (Prometheus needs several scrapes in it)` });
  const selector = given.prometheusSelector === undefined ? '' : parseSelector(given.prometheusSelector, 'prometheusSelector');
  return { url, rangeSeconds: rangeMs / 1000, selector };
}

/** The keyspace walk of check --deep, or why it could not be walked. */
async function deepKeyspace(connection: ConnectionOptions): Promise<KeyspaceReport | { error: string }> {
  if (transportOf(connection).kind !== 'grpc') return { error: 'through Kubernetes the members are not reached over gRPC (run keyspace with their endpoints)' };
  try {
    return await runKeyspace(connection, DEEP_WALK);
  } catch (error) {
    return { error: describeError(error) };
  }
}

export async function runCheck(connection: ConnectionOptions, request: CheckRequest, run: { logger?: Logger; signal?: AbortSignal } = {}): Promise<CheckReport> {
  // Prometheus evaluates a query over the whole range: allow it a few request deadlines.
  const prometheus = request.prometheus && { ...request.prometheus, timeoutMs: connection.commandTimeoutMs * 4 };
  const snapshot = await collectCluster(connection, {
    windowMs: request.windowMs, logger: run.logger, signal: run.signal, prometheus,
    deploymentLogSeconds: Math.max(LOG_SECONDS, Math.ceil(request.windowMs / 1000)), lastMaintenance: true,
  });
  if (request.deep) snapshot.keyspace = await deepKeyspace(connection);
  if (request.logFiles.length) snapshot.logFiles = request.logFiles.map(parseLogSource);
  return buildReport(snapshot, { heartbeatMs: request.heartbeatMs, electionMs: request.electionMs });
}

/**
 * The members as they are, analysed, without reading how they are deployed or their logs: `status`, the VS Code
 * view's refresh, and each frame of `watch` (over `windowMs`; 0 for lifetime counters).
 */
export async function runStatus(connection: ConnectionOptions, run: { windowMs?: number; heartbeatMs?: number; logger?: Logger; signal?: AbortSignal } = {}): Promise<CheckReport> {
  const snapshot = await collectCluster(connection, { windowMs: run.windowMs ?? 0, logger: run.logger, signal: run.signal });
  return buildReport(snapshot, { ...DEFAULT_ANALYSIS, ...(run.heartbeatMs ? { heartbeatMs: run.heartbeatMs } : {}) });
}
