// npm run bench:load — our `bench load --profile P` against `etcdctl check perf --load P` on the same local 3-member
// cluster, in the same run, alternated (BENCH_PROFILE, default l; BENCH_ROUNDS, default 1; 60 s each, check perf's
// fixed length). Prints each side's throughput, their ratio (goal: ours >= 0.9x at profile l), our latency
// percentiles, etcdctl's slowest request and standard deviation (all it prints), and both processes' CPU in cores
// (from bash's `times`): the goal is that ours is never CPU-bound (>= 0.9 cores) where etcdctl's is not; slowest
// request and standard deviation within 1.5x of etcdctl's; and where ours stalled (its event loop, its GC, when the
// slowest request was sent). Between runs the history is compacted and every member defragmented, so each run starts
// from the same small database.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { LoadResult } from '../shared/bench/load.ts';
import { LocalCluster } from '../shared/demo/local-cluster.ts';

const PROFILE = process.env.BENCH_PROFILE ?? 'l';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CLI = join(__dirname, '../dist/kubectl-etcd_perf.js');

interface Timed { stdout: string; stderr: string; status: number | null; cpuCores: number; wallSeconds: number }

/** Runs a command under bash and reads its CPU time from `times` (children's user and system). */
function timed(command: string[]): Timed {
  const started = process.hrtime.bigint();
  const quoted = command.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('bash', ['-c', `${quoted} 2>&3; status=$?; times >&2; exit $status`],
    { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const times = result.stderr.trim().split('\n').pop() ?? '';
  const seconds = [...times.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  return { stdout: result.stdout, stderr: String(result.output[3] ?? ''), status: result.status, cpuCores: seconds / wallSeconds, wallSeconds };
}

function resetHistory(cluster: LocalCluster): void {
  const status = JSON.parse(cluster.etcdctl(['endpoint', 'status', '-w', 'json'], [cluster.endpoints[0] as string])) as Array<{ Status: { header: { revision: number } } }>;
  const revision = status[0]?.Status.header.revision;
  if (revision) spawnSync('etcdctl', [`--endpoints=${cluster.endpoints.join(',')}`, 'compact', String(revision), '--physical'], { env: { ...process.env, ETCDCTL_API: '3' } });
  cluster.etcdctl(['defrag', '--cluster']);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const cluster = await LocalCluster.start({ size: 3, quotaBackendBytes: 8 * 1024 ** 3 });
  const endpoints = cluster.endpoints.join(',');
  const ours: Array<LoadResult & { processCpu: number }> = [];
  const theirs: Array<{ throughput: number; slowestMs: number; stddevMs: number; pass: boolean; processCpu: number }> = [];
  try {
    process.stderr.write(`bench:load — profile ${PROFILE}, ${ROUNDS} round(s) of ours then etcdctl check perf, 60 s each, on ${endpoints}\n`);
    for (let round = 1; round <= ROUNDS; round += 1) {
      const mine = timed([process.execPath, CLI, 'bench', 'load', '--profile', PROFILE, '-o', 'json', '--endpoints', endpoints]);
      if (mine.status !== 0 && mine.status !== 1) throw new Error(`bench load exited ${mine.status}: ${mine.stderr}`);
      ours.push({ ...(JSON.parse(mine.stdout) as LoadResult), processCpu: mine.cpuCores });
      resetHistory(cluster);
      const check = timed(['etcdctl', `--endpoints=${endpoints}`, 'check', 'perf', '--load', PROFILE]);
      const text = check.stdout;
      const throughput = Number(/Throughput (?:is|too low:) (\d+) writes\/s/.exec(text)?.[1] ?? NaN);
      const slowest = Number(/(?:Slowest request took|Slowest request took too long:) ([\d.]+)s/.exec(text)?.[1] ?? NaN);
      const stddev = Number(/Stddev (?:is|too high:) ([\d.]+)s/.exec(text)?.[1] ?? NaN);
      if (Number.isNaN(throughput)) throw new Error(`etcdctl check perf printed no throughput (exit ${check.status}): ${text}${check.stderr}`);
      theirs.push({ throughput, slowestMs: slowest * 1000, stddevMs: stddev * 1000, pass: /^PASS$/m.test(text), processCpu: check.cpuCores });
      resetHistory(cluster);
      const [a, b] = [ours[ours.length - 1], theirs[theirs.length - 1]];
      process.stderr.write(`round ${round}: ours ${a?.throughput.toFixed(0)}/s (${a?.processCpu.toFixed(2)} cores), etcdctl ${b?.throughput}/s (${b?.processCpu.toFixed(2)} cores)\n`);
    }
    const row = (label: string, value: string): string => `${label.padEnd(52)} ${value}\n`;
    const [t1, t2] = [median(ours.map((r) => r.throughput)), median(theirs.map((r) => r.throughput))];
    const [c1, c2] = [median(ours.map((r) => r.processCpu)), median(theirs.map((r) => r.processCpu))];
    const last = ours[ours.length - 1] as LoadResult;
    process.stdout.write(`bench:load — profile ${PROFILE} (target ${last.targetRate}/s, ${last.clients} clients), local 3-member etcd, ${ROUNDS} round(s), medians\n`);
    process.stdout.write(row('throughput ours / etcdctl check perf', `${t1.toFixed(0)} / ${t2.toFixed(0)} writes/s`));
    process.stdout.write(row('ratio ours / etcdctl (goal >= 0.9)', `${(t1 / t2).toFixed(2)}x ${t1 / t2 >= 0.9 ? 'OK' : 'UNDER GOAL'}`));
    process.stdout.write(row('ours: p50 / p90 / p99 / p99.9 / slowest', `${[last.latency.p50Ms, last.latency.p90Ms, last.latency.p99Ms, last.latency.p999Ms, last.latency.slowestMs].map((v) => v.toFixed(1)).join(' / ')} ms`));
    const [s1, s2] = [median(ours.map((r) => r.latency.slowestMs)), median(theirs.map((r) => r.slowestMs))];
    const [d1, d2] = [median(ours.map((r) => r.latency.stddevMs)), median(theirs.map((r) => r.stddevMs))];
    const tail = (a: number, b: number): string => `${(a / b).toFixed(2)}x ${a / b <= 1.5 ? 'OK' : 'OVER GOAL'}`;
    process.stdout.write(row('slowest ours / etcdctl (goal <= 1.5x)', `${s1.toFixed(0)} / ${s2.toFixed(0)} ms, ${tail(s1, s2)}`));
    process.stdout.write(row('stddev ours / etcdctl (goal <= 1.5x)', `${d1.toFixed(1)} / ${d2.toFixed(1)} ms, ${tail(d1, d2)}`));
    process.stdout.write(row('ours: slowest sent at / event loop / GC pause (max)', ours.map((r) => `${r.client.stalls.slowestSentAtSeconds ?? '-'} s / ${r.client.stalls.eventLoopDelayMaxMs} / ${r.client.stalls.gcPauseMaxMs} ms`).join('; ')));
    process.stdout.write(row('verdict ours / etcdctl', `${ours.map((r) => (r.pass ? 'PASS' : 'FAIL')).join(',')} / ${theirs.map((r) => (r.pass ? 'PASS' : 'FAIL')).join(',')}`));
    const bound = c1 >= 0.9 && c2 < 0.9;
    process.stdout.write(row('client process CPU ours / etcdctl (cores)', `${c1.toFixed(2)} / ${c2.toFixed(2)} ${bound ? 'OURS CPU-BOUND, ETCDCTL NOT' : 'OK'}`));
    process.stdout.write(row('machine busy during ours (all cores)', `${(median(ours.map((r) => r.client.machineBusy)) * 100).toFixed(0)}% of ${last.client.cores} cores`));
  } finally {
    await cluster.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:load failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
