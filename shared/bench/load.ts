// `bench load`: etcdctl check perf's profiles and PASS rule, and etcd's benchmark workloads (put, range, txn-put),
// run against the cluster while its metrics are measured over exactly the run, so a FAIL comes with its likely causes
// (fsync, commit, RTT, member CPU, our own CPU). Writes only into an empty prefix and deletes it at the end, also
// when cancelled or failed.

import { cpus, type CpuInfo } from 'node:os';
import { Etcd3 } from 'etcd3';
import { loadCauses, passRule, type LoadCause, type LoadClient } from '../analyse/load-verdict.ts';
import { failureOf, memberName } from '../analyse/members.ts';
import { collectCluster } from '../collect/cluster.ts';
import type { ClusterSnapshot } from '../collect/types.ts';
import { openMemberClient } from '../connect/grpc/member-client.ts';
import { openConnections } from '../connect/grpc/raw-connection.ts';
import { encodePut, encodeRange, encodeTxnPut, keyedTemplate, KV_PUT, KV_RANGE, KV_TXN, type KeyedTemplate } from '../connect/grpc/wire.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { silentLogger, type Logger } from '../ports.ts';
import { describeError, input, UnreachableError, UsageError } from '../util/errors.ts';
import { histogram, roundMs, summarise, type HistogramBucket } from './latency.ts';
import { generate, type GeneratorProgress } from './load-generator.ts';
import type { LoadSpec, ProfileName, Workload } from './load-spec.ts';

export interface LoadRequest {
  spec: LoadSpec;
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?(progress: GeneratorProgress & { fraction: number }): void;
  /** Heartbeat interval the causes are judged against (ms). */
  heartbeatMs: number;
}

export interface LoadMemberFigures {
  name: string;
  endpoint: string;
  /** etcd_mvcc_put_total increase over the run. */
  puts: number | null;
  cpuCores: number | null;
  walFsyncP99Ms: number | null;
  backendCommitP99Ms: number | null;
  peerRttP99Ms: number | null;
}

export interface LoadResult {
  profile: ProfileName | null;
  workload: Workload;
  targetRate: number | null;
  clients: number;
  conns: number;
  endpoints: string[];
  durationSeconds: number;
  /** Sent before the run and counted nowhere else (its keys are deleted with the rest). */
  warmup: { seconds: number; requests: number };
  /** Successful requests. */
  total: number;
  errors: number;
  errorsByCause: Record<string, number>;
  /** Successful requests per second, from the first request to the last reply. */
  throughput: number;
  latency: { p50Ms: number; p90Ms: number; p99Ms: number; p999Ms: number; maxMs: number; meanMs: number; stddevMs: number; slowestMs: number };
  histogram: HistogramBucket[];
  pass: boolean;
  /** One line per rule: PASS or FAIL and why. */
  reasons: string[];
  /** What the members' metrics (and our own CPU) showed during the run that explains a FAIL or a slow run. */
  causes: LoadCause[];
  members: LoadMemberFigures[];
  client: LoadClient;
  /** Keys under the prefix after the clean-up: 0 unless the delete failed. */
  keysLeft: number | null;
  partial: boolean;
}

interface LoadWarmup { seconds: number; requests: number; errorsByCause: Record<string, number> }

const ms = (seconds: number | undefined): number | null => (seconds === undefined ? null : roundMs(seconds * 1000));

function requestTemplate(spec: LoadSpec): { method: string; request: KeyedTemplate } {
  const prefix = Buffer.from(spec.prefix);
  const value = Buffer.alloc(spec.valSize, 0x78);
  switch (spec.workload) {
    case 'put':
      return { method: KV_PUT, request: keyedTemplate(([key]) => encodePut(key as Buffer, value), prefix, spec.keySize, 1) };
    case 'range':
      return { method: KV_RANGE, request: keyedTemplate(([key]) => encodeRange(key as Buffer, spec.consistency === 's'), prefix, spec.keySize, 1) };
    case 'txn-put':
      return { method: KV_TXN, request: keyedTemplate((keys) => encodeTxnPut(keys, value), prefix, spec.keySize, spec.txnOps) };
  }
}

/** The first endpoint that answers, as an etcd3 client for the set-up and clean-up. */
async function adminClient(connection: ConnectionOptions): Promise<{ client: Etcd3; close(): void }> {
  const failures: string[] = [];
  for (const endpoint of connection.endpoints) {
    const member = openMemberClient(endpoint, connection);
    try {
      await member.client.get('health').exec();
      return member;
    } catch (error) {
      member.close();
      const cause = describeError(error);
      if (failureOf(cause).cause === 'auth') throw new UsageError(`${endpoint}: ${cause} (check ${input('user')} and ${input('password')})`);
      failures.push(`${endpoint}: ${cause}`);
    }
  }
  throw new UnreachableError(`no member reachable: ${failures.join('; ')}`);
}

async function keysUnder(client: Etcd3, prefix: string): Promise<number> {
  return client.getAll().prefix(prefix).count();
}

/** The keys the range workload reads: the whole key space, written before the measured run. */
async function seedRangeKeys(client: Etcd3, spec: LoadSpec, signal?: AbortSignal): Promise<void> {
  const value = Buffer.alloc(spec.valSize, 0x78);
  for (let start = 0; start < spec.keySpaceSize && !signal?.aborted; start += 500) {
    const batch: Array<Promise<unknown>> = [];
    for (let i = start; i < Math.min(spec.keySpaceSize, start + 500); i += 1) {
      batch.push(client.put(`${spec.prefix}${i.toString(16).padStart(spec.keySize, '0')}`).value(value).exec());
    }
    await Promise.all(batch);
  }
}

function memberFigures(snapshot: ClusterSnapshot | undefined): LoadMemberFigures[] {
  return (snapshot?.members ?? []).map((m) => ({
    name: memberName(m),
    endpoint: m.endpoint,
    puts: m.metrics?.mvccPuts ?? null,
    cpuCores: m.metrics?.cpuCores === null || m.metrics?.cpuCores === undefined ? null : Math.round(m.metrics.cpuCores * 1000) / 1000,
    walFsyncP99Ms: ms(m.metrics?.quantiles.walFsync?.lifetime === false ? m.metrics.quantiles.walFsync.value : undefined),
    backendCommitP99Ms: ms(m.metrics?.quantiles.backendCommit?.lifetime === false ? m.metrics.quantiles.backendCommit.value : undefined),
    peerRttP99Ms: ms(m.metrics?.quantiles.peerRtt?.lifetime === false ? m.metrics.quantiles.peerRtt.value : undefined),
  }));
}

export async function runLoadBench(connection: ConnectionOptions, request: LoadRequest): Promise<LoadResult> {
  const { spec } = request;
  const logger = request.logger ?? silentLogger;
  const admin = await adminClient(connection);
  try {
    const existing = await keysUnder(admin.client, spec.prefix);
    if (existing > 0) {
      throw new UsageError(`prefix ${spec.prefix} holds ${existing} keys: bench load writes only under an empty prefix, and deletes it afterwards (choose another ${input('prefix')}, or delete them: etcdctl del --prefix ${spec.prefix})`);
    }
    return await runOnEmptyPrefix(connection, request, admin.client, logger);
  } finally {
    admin.close();
  }
}

async function runOnEmptyPrefix(connection: ConnectionOptions, request: LoadRequest, admin: Etcd3, logger: Logger): Promise<LoadResult> {
  const { spec, signal } = request;
  const connections = await openConnections(connection, spec.conns);
  let generated: (Awaited<ReturnType<typeof generate>> & { machineBusy: number }) | undefined;
  let snapshot: ClusterSnapshot | undefined;
  let keysLeft: number | null = null;
  let warmup: LoadWarmup = { seconds: 0, requests: 0, errorsByCause: {} };
  try {
    if (spec.workload === 'range') {
      logger.info(`writing ${spec.keySpaceSize} keys to read under ${spec.prefix}`);
      await seedRangeKeys(admin, spec, signal);
    }
    const { method, request: template } = requestTemplate(spec);
    const durationMs = spec.durationSeconds === undefined ? undefined : spec.durationSeconds * 1000;
    const load = { method, request: template, clients: spec.clients, rate: spec.rate, keySpaceSize: spec.keySpaceSize, requestTimeoutMs: Math.max(connection.commandTimeoutMs, 30_000) };
    if (spec.warmupSeconds > 0) {
      // Before the members' first scrape: their counters and latencies cover the measured run only.
      logger.info(`warming up for ${spec.warmupSeconds}s (not counted)`);
      const warm = await generate(connections, { ...load, durationMs: spec.warmupSeconds * 1000 }, signal);
      warmup = { seconds: spec.warmupSeconds, requests: warm.succeeded, errorsByCause: warm.errors };
    }
    const run = async (): Promise<void> => {
      const cpuBefore = cpus();
      const result = await generate(connections, { ...load, total: spec.total, durationMs }, signal, request.onProgress && ((p) => request.onProgress?.({
        ...p, fraction: Math.min(1, durationMs !== undefined ? p.elapsedMs / durationMs : p.sent / (spec.total ?? 1)),
      })));
      generated = { ...result, machineBusy: machineBusy(cpuBefore, cpus()) };
    };
    snapshot = await collectCluster({ ...connection, discover: false }, { windowMs: 1, during: run, logger });
  } finally {
    for (const c of connections) c.close();
    try {
      // Hundreds of thousands of keys go in one request: allow it more than one command timeout.
      await admin.delete().prefix(spec.prefix).options({ deadline: Date.now() + Math.max(connection.commandTimeoutMs, 120_000) }).exec();
      keysLeft = await keysUnder(admin, spec.prefix);
    } catch (error) {
      logger.warn(`could not delete the keys under ${spec.prefix}: ${describeError(error)} (delete them with etcdctl del --prefix ${spec.prefix})`);
    }
  }
  if (!generated) throw new Error('the load did not run');
  return resultOf(spec, generated, warmup, snapshot, keysLeft, request.heartbeatMs, signal?.aborted === true);
}

/** Busy share of all cores between two readings of os.cpus(). */
function machineBusy(before: CpuInfo[], after: CpuInfo[]): number {
  let busy = 0;
  let total = 0;
  after.forEach((cpu, i) => {
    const was = before[i]?.times;
    if (!was) return;
    const idle = cpu.times.idle - was.idle;
    const all = cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq + cpu.times.idle
      - (was.user + was.nice + was.sys + was.irq + was.idle);
    busy += all - idle;
    total += all;
  });
  return total > 0 ? Math.round((busy / total) * 1000) / 1000 : 0;
}

function resultOf(spec: LoadSpec, run: Awaited<ReturnType<typeof generate>> & { machineBusy: number }, warmup: LoadWarmup, snapshot: ClusterSnapshot | undefined, keysLeft: number | null, heartbeatMs: number, partial: boolean): LoadResult {
  const sorted = run.latencies.sorted();
  const stats = summarise(sorted);
  // A request that failed while warming up fails the run all the same.
  const errorsByCause = { ...run.errors };
  for (const [cause, n] of Object.entries(warmup.errorsByCause)) errorsByCause[`${cause} (warming up)`] = n;
  const errors = Object.values(errorsByCause).reduce((a, b) => a + b, 0);
  const seconds = run.elapsedMs / 1000;
  const cores = cpus().length;
  const client = { cpuCores: Math.round(run.clientCpuCores * 1000) / 1000, cores, cpuBound: run.clientCpuCores >= 0.9, machineBusy: run.machineBusy, stalls: run.stalls };
  const base = {
    total: run.succeeded,
    errors,
    errorsByCause,
    throughput: seconds > 0 ? Math.round((run.succeeded / seconds) * 10) / 10 : 0,
    targetRate: spec.rate > 0 ? spec.rate : null,
    latency: {
      p50Ms: roundMs(stats.p50Ms), p90Ms: roundMs(stats.p90Ms), p99Ms: roundMs(stats.p99Ms), p999Ms: roundMs(stats.p999Ms),
      maxMs: roundMs(stats.maxMs), meanMs: roundMs(stats.meanMs), stddevMs: roundMs(stats.stddevMs), slowestMs: roundMs(stats.maxMs),
    },
  };
  const verdict = passRule(base);
  return {
    profile: spec.profile ?? null,
    workload: spec.workload,
    clients: spec.clients,
    conns: spec.conns,
    endpoints: [...new Set(snapshot?.members.map((m) => m.endpoint) ?? [])],
    durationSeconds: Math.round(seconds * 1000) / 1000,
    warmup: { seconds: warmup.seconds, requests: warmup.requests },
    ...base,
    histogram: histogram(sorted),
    pass: verdict.pass && !partial,
    reasons: partial ? ['FAIL: interrupted before the end', ...verdict.reasons] : verdict.reasons,
    causes: loadCauses(snapshot, heartbeatMs, client),
    members: memberFigures(snapshot),
    client,
    keysLeft,
    partial,
  };
}
