// `bench load`: etcdctl check perf's profiles and PASS rule, and etcd's benchmark workloads (put, range, txn-put),
// run against the cluster while its metrics are measured over exactly the run, so a FAIL comes with its likely causes
// (fsync, commit, RTT, member CPU, our own CPU). Writes only into an empty prefix and deletes it at the end, also
// when cancelled or failed.

import { cpus, type CpuInfo } from 'node:os';
import { Etcd3 } from 'etcd3';
import { analyse } from '../analyse/analyse.ts';
import { atLeast, type Finding } from '../analyse/finding.ts';
import { collectCluster } from '../collect/cluster.ts';
import type { ClusterSnapshot } from '../collect/types.ts';
import { openMemberClient } from '../connect/member-client.ts';
import type { ConnectionOptions } from '../connect/options.ts';
import type { Logger } from '../ports.ts';
import { silentLogger } from '../ports.ts';
import { describeError, isAuthFailure, UnreachableError, UsageError } from '../util/errors.ts';
import { histogram, roundMs, summarise, type HistogramBucket } from './latency.ts';
import { openConnections } from '../connect/raw-connection.ts';
import { generate, keySpaceLimit, type GeneratorProgress } from './load-generator.ts';
import { encodePut, encodeRange, encodeTxnPut, KV_PUT, KV_RANGE, KV_TXN, keyedTemplate, type KeyedTemplate } from '../connect/wire.ts';

export type Workload = 'put' | 'range' | 'txn-put';
export type ProfileName = 's' | 'm' | 'l' | 'xl';

/** etcdctl check perf's loads: 256-byte keys, 1 KiB values, random keys, 60 s. */
export const PROFILES: Record<ProfileName, { rate: number; clients: number; durationSeconds: number }> = {
  s: { rate: 150, clients: 50, durationSeconds: 60 },
  m: { rate: 1000, clients: 200, durationSeconds: 60 },
  l: { rate: 8000, clients: 500, durationSeconds: 60 },
  xl: { rate: 15000, clients: 1000, durationSeconds: 60 },
};

/** check perf's PASS rule. */
export const PASS_RULE = { minThroughputOfTarget: 0.9, slowestMs: 500, stddevMs: 100 } as const;

export interface LoadSpec {
  profile?: ProfileName;
  workload: Workload;
  clients: number;
  conns: number;
  /** Requests per second; 0 = unlimited. */
  rate: number;
  total?: number;
  durationSeconds?: number;
  keySize: number;
  valSize: number;
  keySpaceSize: number;
  /** For range: l (linearizable) or s (serializable). */
  consistency: 'l' | 's';
  /** Puts per transaction for txn-put. */
  txnOps: number;
  prefix: string;
}

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
  causes: Array<Pick<Finding, 'id' | 'severity' | 'member' | 'title' | 'recommendation'>>;
  members: LoadMemberFigures[];
  /** The load generator's process, and the whole machine it ran on (busy share of all its cores over the run). */
  client: { cpuCores: number; cores: number; cpuBound: boolean; machineBusy: number };
  /** Keys under the prefix after the clean-up: 0 unless the delete failed. */
  keysLeft: number | null;
  partial: boolean;
}

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

export function checkSpec(spec: LoadSpec): void {
  if (!spec.prefix) throw new UsageError('--prefix: must not be empty (the load writes and then deletes everything under it)');
  if (spec.clients < 1) throw new UsageError('--clients: at least 1');
  if (spec.conns < 1) throw new UsageError('--conns: at least 1');
  if (spec.keySize < 1) throw new UsageError('--key-size: at least 1 byte');
  if (spec.keySpaceSize < 1) throw new UsageError('--key-space-size: at least 1');
  if (spec.keySpaceSize > keySpaceLimit(spec.keySize)) {
    throw new UsageError(`--key-size ${spec.keySize} holds ${keySpaceLimit(spec.keySize)} distinct keys (hex digits): raise it or lower --key-space-size`);
  }
  if (spec.txnOps < 1 || spec.txnOps > 64) throw new UsageError('--txn-ops: 1 to 64 (etcd allows 128 operations per transaction by default)');
  if (spec.total === undefined && spec.durationSeconds === undefined) throw new UsageError('give --total or --duration');
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
      if (isAuthFailure(cause)) throw new UsageError(`${endpoint}: ${cause} (check --user and --password)`);
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
  if (spec.keySpaceSize > 100_000) throw new UsageError('range: --key-space-size at most 100000 (every key is written before the run)');
  const value = Buffer.alloc(spec.valSize, 0x78);
  for (let start = 0; start < spec.keySpaceSize && !signal?.aborted; start += 500) {
    const batch: Array<Promise<unknown>> = [];
    for (let i = start; i < Math.min(spec.keySpaceSize, start + 500); i += 1) {
      batch.push(client.put(`${spec.prefix}${i.toString(16).padStart(spec.keySize, '0')}`).value(value).exec());
    }
    await Promise.all(batch);
  }
}

function passRule(result: Pick<LoadResult, 'errors' | 'errorsByCause' | 'throughput' | 'targetRate' | 'latency' | 'total'>): { pass: boolean; reasons: string[] } {
  const reasons: string[] = [];
  let pass = true;
  if (result.errors > 0) {
    pass = false;
    reasons.push(`FAIL: ${result.errors} requests failed (${Object.entries(result.errorsByCause).map(([cause, n]) => `${n}x ${cause}`).join('; ')})`);
  }
  if (result.targetRate !== null) {
    const share = result.throughput / result.targetRate;
    if (share <= PASS_RULE.minThroughputOfTarget) {
      pass = false;
      reasons.push(`FAIL: throughput ${Math.round(result.throughput)}/s is ${(share * 100).toFixed(0)}% of the target ${result.targetRate}/s (needs more than ${PASS_RULE.minThroughputOfTarget * 100}%)`);
    } else {
      reasons.push(`PASS: throughput ${Math.round(result.throughput)}/s (target ${result.targetRate}/s)`);
    }
  }
  if (result.latency.slowestMs > PASS_RULE.slowestMs) {
    pass = false;
    reasons.push(`FAIL: slowest request took ${result.latency.slowestMs.toFixed(0)} ms (limit ${PASS_RULE.slowestMs} ms)`);
  } else {
    reasons.push(`PASS: slowest request took ${result.latency.slowestMs.toFixed(1)} ms`);
  }
  if (result.latency.stddevMs > PASS_RULE.stddevMs) {
    pass = false;
    reasons.push(`FAIL: latency standard deviation ${result.latency.stddevMs.toFixed(0)} ms (limit ${PASS_RULE.stddevMs} ms)`);
  } else {
    reasons.push(`PASS: latency standard deviation ${result.latency.stddevMs.toFixed(1)} ms`);
  }
  if (result.total === 0) {
    pass = false;
    reasons.push('FAIL: no request succeeded');
  }
  return { pass, reasons };
}

/** The findings over the run that explain slowness, plus our own CPU and each member's. */
function causesOf(snapshot: ClusterSnapshot | undefined, heartbeatMs: number, client: LoadResult['client']): LoadResult['causes'] {
  const causes: LoadResult['causes'] = [];
  if (client.cpuBound) {
    causes.push({
      id: 'bench-client-cpu', severity: 'warn', title: `the load generator used ${client.cpuCores.toFixed(2)} CPU cores (Node runs it on one): it may have been the bottleneck`,
      recommendation: 'Run bench load from a machine with a free core, or with fewer --clients; compare with etcdctl check perf from the same machine.',
    });
  }
  if (client.machineBusy >= 0.9) {
    causes.push({
      id: 'bench-machine-cpu', severity: 'warn', title: `the machine running the load was ${(client.machineBusy * 100).toFixed(0)}% busy on its ${client.cores} cores: members on it compete with the load generator`,
      recommendation: 'Run the load from another machine than the members, or give them more cores; a saturated machine fails the profile without saying anything about the disk or network.',
    });
  }
  if (!snapshot) return causes;
  const relevant = new Set(['wal-fsync', 'backend-commit', 'peer-rtt', 'leader-changes', 'proposals-failed', 'proposals-pending',
    'heartbeat-send-failures', 'slow-applies', 'raft-apply-lag', 'member-unhealthy', 'no-leader', 'alarm-nospace', 'db-quota']);
  for (const f of analyse(snapshot, { heartbeatMs })) {
    if (relevant.has(f.id) && atLeast(f.severity, 'warn')) causes.push({ id: f.id, severity: f.severity, member: f.member, title: f.title, recommendation: f.recommendation });
  }
  for (const m of snapshot.members) {
    const cores = m.metrics?.cpuCores;
    if (cores !== null && cores !== undefined && cores >= 0.9) {
      const name = m.member.name || m.endpoint;
      causes.push({
        id: 'bench-member-cpu', severity: 'warn', member: name, title: `${name} used ${cores.toFixed(2)} CPU cores during the run: check whether its node has more to give`,
        recommendation: 'A member short of CPU applies and answers late: give etcd dedicated cores (requests = limits in Kubernetes), and keep other busy processes off its node.',
      });
    }
  }
  return causes;
}

function memberFigures(snapshot: ClusterSnapshot | undefined): LoadMemberFigures[] {
  return (snapshot?.members ?? []).map((m) => ({
    name: m.member.name || m.endpoint,
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
  checkSpec(spec);
  const logger = request.logger ?? silentLogger;
  const admin = await adminClient(connection);
  try {
    const existing = await keysUnder(admin.client, spec.prefix);
    if (existing > 0) {
      throw new UsageError(`prefix ${spec.prefix} holds ${existing} keys: bench load writes only under an empty prefix, and deletes it afterwards (choose another --prefix, or delete them: etcdctl del --prefix ${spec.prefix})`);
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
  try {
    if (spec.workload === 'range') {
      logger.info(`writing ${spec.keySpaceSize} keys to read under ${spec.prefix}`);
      await seedRangeKeys(admin, spec, signal);
    }
    const { method, request: template } = requestTemplate(spec);
    const durationMs = spec.durationSeconds === undefined ? undefined : spec.durationSeconds * 1000;
    const run = async (): Promise<void> => {
      const cpuBefore = cpus();
      const result = await generate(connections, {
        method, request: template, clients: spec.clients, rate: spec.rate, total: spec.total, durationMs,
        keySpaceSize: spec.keySpaceSize, requestTimeoutMs: Math.max(connection.commandTimeoutMs, 30_000),
      }, signal, request.onProgress && ((p) => request.onProgress?.({
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
  return resultOf(spec, generated, snapshot, keysLeft, request.heartbeatMs, signal?.aborted === true);
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

function resultOf(spec: LoadSpec, run: Awaited<ReturnType<typeof generate>> & { machineBusy: number }, snapshot: ClusterSnapshot | undefined, keysLeft: number | null, heartbeatMs: number, partial: boolean): LoadResult {
  const sorted = run.latencies.sorted();
  const stats = summarise(sorted);
  const errors = Object.values(run.errors).reduce((a, b) => a + b, 0);
  const seconds = run.elapsedMs / 1000;
  const cores = cpus().length;
  const client = { cpuCores: Math.round(run.clientCpuCores * 1000) / 1000, cores, cpuBound: run.clientCpuCores >= 0.9, machineBusy: run.machineBusy };
  const base = {
    total: run.succeeded,
    errors,
    errorsByCause: run.errors,
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
    ...base,
    histogram: histogram(sorted),
    pass: verdict.pass && !partial,
    reasons: partial ? ['FAIL: interrupted before the end', ...verdict.reasons] : verdict.reasons,
    causes: causesOf(snapshot, heartbeatMs, client),
    members: memberFigures(snapshot),
    client,
    keysLeft,
    partial,
  };
}
