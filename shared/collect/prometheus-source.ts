// Member metrics from a Prometheus server instead of scraping the members: the same series etcd serves, over a range
// of Prometheus' history (say the last hour) rather than a 10-second window. Each series' increase over the range
// (PromQL increase(), which handles counter resets) turns the current values into the "earlier" half of a window, so
// the analysis reads exactly what it reads from two scrapes.

import type { Logger } from '../ports.ts';
import { silentLogger } from '../ports.ts';
import { describeError, UnreachableError, UsageError } from '../util/errors.ts';
import { summariseMetrics, type MemberMetrics } from './member-metrics.ts';
import type { Sample } from './prometheus-text.ts';

export interface PrometheusSource {
  /** Base URL of the Prometheus server (its HTTP API is under /api/v1). */
  url: string;
  rangeSeconds: number;
  /** Label matchers that pick etcd's series, without braces; '' for all. */
  selector: string;
  timeoutMs: number;
}

/** Counters and histogram buckets: read as their increase over the range. */
const COUNTERS = [
  'etcd_server_leader_changes_seen_total', 'etcd_server_proposals_failed_total', 'etcd_server_slow_apply_total',
  'etcd_server_slow_read_indexes_total', 'etcd_server_heartbeat_send_failures_total', 'etcd_server_proposals_committed_total',
  'etcd_mvcc_put_total', 'process_cpu_seconds_total',
  'etcd_disk_wal_fsync_duration_seconds_bucket', 'etcd_disk_backend_commit_duration_seconds_bucket',
  'etcd_network_peer_round_trip_time_seconds_bucket',
];
/** Gauges and info series: their current values. */
const GAUGES = [
  'etcd_server_proposals_pending', 'etcd_server_has_leader', 'etcd_server_is_leader', 'etcd_server_quota_backend_bytes',
  'process_resident_memory_bytes', 'process_start_time_seconds', 'etcd_server_version', 'etcd_server_id',
  'etcd_debugging_mvcc_compact_revision', 'etcd_debugging_mvcc_db_compaction_total_duration_milliseconds_count',
];

interface VectorResult { metric: Record<string, string>; value: [number, string] }
interface MatrixResult { metric: Record<string, string>; values: Array<[number, string]> }

/** One PromQL query at time `at` (seconds); Prometheus' own error said in one line. */
async function query<T>(source: PrometheusSource, promql: string, at: number): Promise<T[]> {
  const base = new URL(source.url.endsWith('/') ? source.url : `${source.url}/`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (base.username || base.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
    base.username = '';
    base.password = '';
  }
  const url = new URL('api/v1/query', base);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: promql, time: String(at) }), signal: AbortSignal.timeout(source.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw new UnreachableError(`Prometheus at ${source.url}: ${describeError(cause ?? error)}`);
  }
  const body = await response.text();
  let parsed: { status?: string; error?: string; data?: { resultType: string; result: T[] } };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new Error(`Prometheus at ${source.url}: HTTP ${response.status}, not a Prometheus API answer (${body.slice(0, 80).replace(/\s+/g, ' ')})`);
  }
  if (parsed.status !== 'success' || !parsed.data) {
    throw new Error(`Prometheus at ${source.url}: ${parsed.error ?? `HTTP ${response.status}`} (query: ${promql})`);
  }
  return parsed.data.result;
}

function matchers(...parts: string[]): string {
  return `{${parts.filter((p) => p !== '').join(', ')}}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function sampleOf(name: string, metric: Record<string, string>, value: string): Sample {
  const labels = { ...metric };
  delete labels.__name__;
  return { name, labels, value: Number(value) };
}

const labelKey = (name: string, labels: Record<string, string>): string =>
  `${name}{${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',')}}`;

/** One etcd member as Prometheus knows it: its scrape target and what it says of itself. */
export interface PrometheusMember {
  instance: string;
  job: string;
  /** Lowercase hex member id from etcd_server_id, when the member exposes it. */
  memberId: string | null;
  metrics?: MemberMetrics;
}

export interface PrometheusReading {
  members: PrometheusMember[];
  /** Seconds of history the range actually covered (less than asked when Prometheus has not scraped for that long). */
  coveredSeconds: number;
  at: number;
}

/**
 * The metrics of every etcd member Prometheus scrapes (series matching the selector that carry etcd_server_has_leader),
 * over the last `rangeSeconds`, each summarised exactly as a scraped member's would be.
 */
export async function readPrometheus(source: PrometheusSource, logger: Logger = silentLogger): Promise<PrometheusReading> {
  const at = Date.now() / 1000;
  const range = `${Math.round(source.rangeSeconds)}s`;
  const targets = await query<MatrixResult>(source, `etcd_server_has_leader${matchers(source.selector)}[${range}]`, at);
  if (targets.length === 0) {
    throw new UsageError(`Prometheus at ${source.url} has no etcd series${source.selector ? ` matching {${source.selector}}` : ''} in the last ${range}: is it scraping the members' /metrics?`);
  }
  const instances = [...new Set(targets.map((t) => t.metric.instance ?? ''))];
  logger.info(`Prometheus at ${source.url}: ${instances.length} etcd instances (${instances.join(', ')}), metrics over ${range}`);
  const ofInstances = `instance=~"${instances.map(escapeRegex).join('|')}"`;
  const only = matchers(source.selector, ofInstances);
  const [current, ...increases] = await Promise.all([
    query<VectorResult>(source, matchers(`__name__=~"${[...GAUGES, ...COUNTERS].join('|')}"`, source.selector, ofInstances), at),
    ...COUNTERS.map((name) => query<VectorResult>(source, `increase(${name}${only}[${range}])`, at)),
  ]);
  const firstSeen = new Map<string, number>();
  for (const target of targets) {
    const first = target.values[0]?.[0];
    if (first !== undefined) firstSeen.set(target.metric.instance ?? '', first);
  }
  const increaseOf = new Map<string, number>();
  COUNTERS.forEach((name, i) => {
    for (const series of increases[i] ?? []) increaseOf.set(labelKey(name, sampleOf(name, series.metric, '0').labels), Math.round(Number(series.value[1])));
  });
  const members: PrometheusMember[] = instances.map((instance) => {
    const later = (current ?? []).filter((s) => s.metric.instance === instance).map((s) => sampleOf(s.metric.__name__ ?? '', s.metric, s.value[1]));
    // What the counters stood at when the range began: now minus their increase over it.
    const earlier = later.filter((s) => COUNTERS.includes(s.name)).map((s) => ({ ...s, value: s.value - (increaseOf.get(labelKey(s.name, s.labels)) ?? 0) }));
    const covered = Math.min(source.rangeSeconds, at - (firstSeen.get(instance) ?? at));
    const job = targets.find((t) => t.metric.instance === instance)?.metric.job ?? '';
    const metrics = later.length > 0 ? summariseMetrics(earlier, later, covered, at * 1000) : undefined;
    return { instance, job, memberId: metrics?.memberId ?? null, metrics };
  });
  const coveredSeconds = Math.max(0, ...[...firstSeen.values()].map((first) => Math.min(source.rangeSeconds, at - first)));
  return { members, coveredSeconds: Math.round(coveredSeconds), at };
}
