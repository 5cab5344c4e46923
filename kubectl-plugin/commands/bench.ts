// `bench disk` and `bench load`: the performance probes. Each parses its flags, runs one core probe with Ctrl-C
// wired to cancellation (the probe cleans up what it wrote), renders, and exits 0 on pass, 1 on fail.

import type { Command } from 'commander';
import { probeDisk } from '../../shared/bench/disk.ts';
import { PROFILES, runLoadBench, type LoadSpec, type ProfileName, type Workload } from '../../shared/bench/load.ts';
import { renderDiskText, renderLoadText } from '../../shared/render/bench-text.ts';
import { renderData } from '../../shared/render/format.ts';
import { parseBytes } from '../../shared/util/bytes.ts';
import { parseDuration } from '../../shared/util/duration.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { parseCount, parseDataFormat } from './compact.ts';
import { addConnectionFlags, resolveConnection } from '../connection-flags.ts';
import { cliLogger } from '../logger.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { interruptible } from '../interruptible.ts';
import { progressBar } from '../progress-bar.ts';

function parseSize(text: unknown, flag: string): number {
  const bytes = parseBytes(String(text));
  if (bytes === undefined || bytes < 1) throw new UsageError(`${flag}: expected a size such as 22MiB or 2300, got "${String(text)}"`);
  return bytes;
}

function registerDisk(bench: Command, io: Io, done: (code: number) => void): void {
  bench.command('disk')
    .description("etcd's fio recipe natively: sequential block writes, each followed by a timed fdatasync, on the data disk")
    .option('--dir <path>', "directory on the disk to test: etcd's data directory's disk (a temporary file is made there and removed)", '.')
    .option('--size <bytes>', 'how much to write', '22MiB')
    .option('--block <bytes>', 'bytes per write (etcd WAL entries of a Kubernetes cluster are about this size)', '2300')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText('after', `
Run it on the etcd host (or a node like it), pointing --dir at the filesystem that holds etcd's data directory
(kubeadm: /var/lib/etcd). etcd waits for one fdatasync of its WAL on every write: the p99 should stay under 10 ms.
Same recipe as: fio --rw=write --ioengine=sync --fdatasync=1 --size=22m --bs=2300 --directory=DIR
Exit codes: 0 pass; 1 fail (p99 >= 10 ms); 2 bad usage; 130 interrupted (files removed, partial figures printed).`)
    .action(async (options: Record<string, unknown>) => {
      const format = parseDataFormat(options.output);
      const sizeBytes = parseSize(options.size, '--size');
      const blockBytes = parseSize(options.block, '--block');
      const bar = progressBar(io, 'fdatasync');
      const result = await interruptible(io, 'the disk probe', (signal) => probeDisk({
        dir: String(options.dir), sizeBytes, blockBytes, signal,
        onProgress: (written, total) => bar.update(written / total, `${written}/${total} writes`),
      }).finally(() => bar.stop()));
      io.stdout(format === 'table' ? renderDiskText(result, io.stdoutIsTty ? io.columns : 100) : renderData(result, format));
      done(result.partial ? EXIT.interrupted : result.verdict === 'pass' ? EXIT.ok : EXIT.findings);
    });
}

const WORKLOADS: readonly Workload[] = ['put', 'range', 'txn-put'];

function choice<T extends string>(text: unknown, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly unknown[]).includes(text)) return text as T;
  throw new UsageError(`${flag}: unknown value "${String(text)}" (choose ${allowed.join(', ')})`);
}

function positive(text: unknown, flag: string): number | undefined {
  const value = parseCount(text, flag);
  if (value === 0) throw new UsageError(`${flag}: must be at least 1`);
  return value;
}

/** The load as asked: a profile (check perf's), or a workload with the benchmark tool's defaults, each flag overriding. */
function loadSpecFrom(workloadArg: string | undefined, options: Record<string, unknown>, endpoints: number): LoadSpec {
  if (workloadArg !== undefined) choice(workloadArg, WORKLOADS, 'workload');
  if (options.profile !== undefined && workloadArg !== undefined && workloadArg !== 'put') {
    throw new UsageError(`--profile is a put load (etcdctl check perf's): it cannot be combined with the ${workloadArg} workload`);
  }
  const profileName = workloadArg === undefined ? choice(options.profile ?? 's', Object.keys(PROFILES) as ProfileName[], '--profile') : options.profile === undefined ? undefined : choice(options.profile, Object.keys(PROFILES) as ProfileName[], '--profile');
  const profile = profileName ? PROFILES[profileName] : undefined;
  const clients = positive(options.clients, '--clients') ?? profile?.clients ?? 1;
  const durationMs = options.duration === undefined ? undefined : parseDuration(String(options.duration), '--duration');
  if (durationMs !== undefined && durationMs < 1000) throw new UsageError('--duration: at least 1s');
  const total = positive(options.total, '--total');
  return {
    profile: profileName,
    workload: (workloadArg ?? 'put') as Workload,
    clients,
    conns: positive(options.conns, '--conns') ?? (profile ? Math.max(endpoints, Math.ceil(clients / 50)) : 1),
    rate: parseCount(options.rate, '--rate') ?? profile?.rate ?? 0,
    total,
    durationSeconds: durationMs !== undefined ? durationMs / 1000 : total === undefined ? profile?.durationSeconds : undefined,
    keySize: positive(options.keySize, '--key-size') ?? (profile ? 256 : 8),
    valSize: parseCount(options.valSize, '--val-size') ?? (profile ? 1024 : 8),
    keySpaceSize: positive(options.keySpaceSize, '--key-space-size') ?? (profile ? Number.MAX_SAFE_INTEGER : 1),
    consistency: choice(options.consistency ?? 'l', ['l', 's'] as const, '--consistency'),
    txnOps: positive(options.txnOps, '--txn-ops') ?? 1,
    prefix: String(options.prefix),
  };
}

function registerLoad(bench: Command, io: Io, done: (code: number) => void): void {
  addConnectionFlags(bench.command('load'))
    .description("load test: etcdctl check perf's profiles and PASS rule, or etcd benchmark's workloads, with causes from the members' metrics")
    .argument('[workload]', `put, range or txn-put (etcd benchmark's); without it, --profile`)
    .option('--profile <name>', 'check perf load: s (150 writes/s, 50 clients), m (1000, 200), l (8000, 500), xl (15000, 1000); 60 s each', undefined)
    .option('--duration <duration>', 'run this long (shortens a profile)')
    .option('--total <n>', 'stop after this many requests (workloads default to 10000 without --duration)')
    .option('--clients <n>', 'concurrent requests (workloads: 1)')
    .option('--conns <n>', 'gRPC connections, spread over the endpoints (profiles: one per 50 clients, at least one per endpoint; workloads: 1)')
    .option('--rate <n>', 'requests per second, 0 = as fast as possible (workloads: 0)')
    .option('--key-size <bytes>', 'bytes of key after the prefix (profiles 256, workloads 8)')
    .option('--val-size <bytes>', 'bytes of value (profiles 1024, workloads 8)')
    .option('--key-space-size <n>', 'distinct keys written or read (profiles: random 53-bit, workloads: 1)')
    .option('--consistency <l|s>', 'range: linearizable (l) or serializable (s) reads', 'l')
    .option('--txn-ops <n>', 'txn-put: puts per transaction', '1')
    .option('--prefix <key>', 'where the load writes: must be empty; everything under it is deleted at the end', '/etcd-perf-bench/')
    .option('--heartbeat-interval <duration>', "the cluster's --heartbeat-interval, to judge peer RTT among the causes", '100ms')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText('after', `
Writes real keys into the cluster: run it on a test cluster, or on production only in a quiet hour. It refuses a
prefix that holds keys, and deletes everything under the prefix at the end, also on Ctrl-C.
Requests go over --conns connections, round-robin over the --endpoints as given (like etcdctl check perf).
PASS rule (etcdctl check perf's): no errors; throughput above 90% of the target rate; slowest request <= 0.5 s;
standard deviation <= 0.1 s. A FAIL lists what the members' metrics showed during the run (fsync, commit, RTT, CPU).
Examples:
  kubectl etcd-perf bench load --profile m
  kubectl etcd-perf bench load --profile s --duration 10s -o json
  kubectl etcd-perf bench load put --clients 100 --conns 10 --total 100000 --key-size 8 --val-size 256
  kubectl etcd-perf bench load range --consistency s --key-space-size 1000 --total 50000 --clients 50
Exit codes: 0 pass; 1 fail; 2 bad usage (or a prefix with keys); 3 no member reachable; 130 interrupted (keys deleted).`)
    .action(async (workload: string | undefined, options: Record<string, unknown>) => {
      const format = parseDataFormat(options.output);
      const heartbeatMs = parseDuration(String(options.heartbeatInterval), '--heartbeat-interval');
      const connection = await resolveConnection(options, io.env, cliLogger(io));
      if (connection.transport && connection.transport.kind !== 'grpc') {
        throw new UsageError('bench load needs the members\' gRPC endpoints (a load through the Kubernetes API would measure the API server): give --endpoints, e.g. through kubectl port-forward');
      }
      const spec = loadSpecFrom(workload, options, connection.endpoints.length);
      const bar = progressBar(io, spec.profile ? `profile ${spec.profile}` : spec.workload);
      const result = await interruptible(io, 'the load', (signal) => runLoadBench(connection, {
        spec, signal, heartbeatMs, logger: cliLogger(io),
        onProgress: (p) => bar.update(p.fraction, `${p.succeeded} ok, ${p.errors} errors, ${p.elapsedMs > 0 ? Math.round(p.succeeded / (p.elapsedMs / 1000)) : 0}/s`),
      }).finally(() => bar.stop()));
      io.stdout(format === 'table' ? renderLoadText(result, io.stdoutIsTty ? io.columns : 100) : renderData(result, format));
      done(result.partial ? EXIT.interrupted : result.pass ? EXIT.ok : EXIT.findings);
    });
}

export function registerBench(program: Command, io: Io, done: (code: number) => void): void {
  const bench = program.command('bench').description('performance probes: disk fdatasync latency, load test with check-perf verdicts');
  registerDisk(bench, io, done);
  registerLoad(bench, io, done);
}
