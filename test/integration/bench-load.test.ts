// `bench load` on a real 3-member etcd: check perf's profile s shortened to 10 s passes at 150 +/- 15 writes/s with a
// `total` equal to the increase of every member's own etcd_mvcc_put_total and no key left behind; the benchmark
// workloads count exactly; a prefix with keys is refused; Ctrl-C stops the load and still deletes its keys.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { LoadResult } from '../../shared/bench/load.ts';
import { LocalCluster } from '../../shared/demo/local-cluster.ts';
import { CLI, runCli } from '../harness/cli.ts';

let cluster: LocalCluster;

before(async () => {
  cluster = await LocalCluster.start({ size: 3 });
});

after(async () => { await cluster?.dispose(); });

async function putsPerMember(): Promise<number[]> {
  return Promise.all(cluster.endpoints.map(async (endpoint) => {
    const text = await (await fetch(`${endpoint}/metrics`)).text();
    const line = /^etcd_mvcc_put_total (\S+)$/m.exec(text);
    assert.ok(line, `${endpoint} serves etcd_mvcc_put_total`);
    return Number(line[1]);
  }));
}

function keysUnder(prefix: string): number {
  return cluster.etcdctl(['get', '--prefix', prefix, '--keys-only']).split('\n').filter((line) => line !== '').length;
}

const endpoints = (): string[] => ['--endpoints', cluster.endpoints.join(',')];

test('profile s for 10 s: passes, 150 +/- 15 writes/s, total = the servers\' put counters, nothing left', async () => {
  const before = await putsPerMember();
  const run = await runCli(['bench', 'load', '--profile', 's', '--duration', '10s', '-o', 'json', ...endpoints()]);
  const after = await putsPerMember();
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const result = JSON.parse(run.stdout) as LoadResult;
  assert.equal(result.pass, true, result.reasons.join('; '));
  assert.deepEqual([result.profile, result.workload, result.targetRate, result.clients], ['s', 'put', 150, 50]);
  assert.ok(Math.abs(result.throughput - 150) <= 15, `throughput ${result.throughput}`);
  assert.ok(Math.abs(result.durationSeconds - 10) < 1, `duration ${result.durationSeconds}`);
  assert.equal(result.errors, 0);
  // The profile first warms up for 2 s, uncounted: the members see those puts too, before the run's first scrape.
  assert.equal(result.warmup.seconds, 2);
  assert.ok(Math.abs(result.warmup.requests - 300) <= 30, `warm-up requests ${result.warmup.requests}`);
  for (let i = 0; i < before.length; i += 1) {
    assert.equal(result.warmup.requests + result.total, (after[i] as number) - (before[i] as number), `member ${i + 1}: etcd_mvcc_put_total increase`);
  }
  assert.deepEqual(result.members.map((m) => m.puts), result.members.map(() => result.total), 'the run alone, as the members counted it');
  assert.equal(result.keysLeft, 0);
  assert.equal(keysUnder('/etcd-perf-bench/'), 0);
  const l = result.latency;
  assert.ok(l.p50Ms > 0 && l.p50Ms <= l.p90Ms && l.p90Ms <= l.p99Ms && l.p99Ms <= l.p999Ms && l.p999Ms <= l.maxMs && l.slowestMs === l.maxMs);
  assert.equal(result.histogram.reduce((sum, b) => sum + b.count, 0), result.total);
  assert.equal(new Set(result.endpoints).size, 3, 'connections spread over every member');
  assert.ok(result.client.cpuCores > 0 && result.client.cpuCores < 0.9, `the generator is not CPU-bound at 150/s (${result.client.cpuCores})`);
  const { stalls } = result.client;
  assert.ok(stalls.eventLoopDelayMaxMs > 0 && stalls.gcTotalMs >= stalls.gcPauseMaxMs, JSON.stringify(stalls));
  assert.ok(stalls.slowestSentAtSeconds !== null && stalls.slowestSentAtSeconds >= 0 && stalls.slowestSentAtSeconds <= result.durationSeconds, JSON.stringify(stalls));
});

test('benchmark workloads: put and txn-put counted exactly by the servers, range reads seeded keys, all deleted', async () => {
  let before = await putsPerMember();
  const put = await runCli(['bench', 'load', 'put', '--total', '3000', '--clients', '30', '--conns', '6', '--key-space-size', '1000', '--val-size', '256', '-o', 'json', ...endpoints()]);
  // Exit 0 or 1 is the pass rule's verdict on latency, which a busy machine may fail; the counts are what this test owns.
  assert.ok(put.code === 0 || put.code === 1, `put: exit ${put.code} ${put.stderr}`);
  const putResult = JSON.parse(put.stdout) as LoadResult;
  assert.deepEqual([putResult.total, putResult.errors, putResult.profile, putResult.targetRate, putResult.warmup.requests], [3000, 0, null, null, 0], 'workloads do not warm up');
  let after = await putsPerMember();
  assert.deepEqual(after.map((n, i) => n - (before[i] as number)), [3000, 3000, 3000]);

  before = after;
  const txn = await runCli(['bench', 'load', 'txn-put', '--total', '200', '--txn-ops', '3', '--clients', '10', '--key-space-size', '100000', '-o', 'json', ...endpoints()]);
  assert.ok(txn.code === 0 || txn.code === 1, `txn-put: exit ${txn.code} ${txn.stderr}`);
  const txnResult = JSON.parse(txn.stdout) as LoadResult;
  assert.deepEqual([txnResult.total, txnResult.errors], [200, 0]);
  after = await putsPerMember();
  assert.deepEqual(after.map((n, i) => n - (before[i] as number)), [600, 600, 600], 'three puts per transaction');

  const range = await runCli(['bench', 'load', 'range', '--consistency', 's', '--key-space-size', '500', '--total', '2000', '--clients', '20', '--conns', '3', '-o', 'json', ...endpoints()]);
  assert.ok(range.code === 0 || range.code === 1, `range: exit ${range.code} ${range.stderr}`);
  const rangeResult = JSON.parse(range.stdout) as LoadResult;
  assert.deepEqual([rangeResult.workload, rangeResult.total, rangeResult.errors], ['range', 2000, 0]);
  assert.equal(keysUnder('/etcd-perf-bench/'), 0, 'the seeded keys are deleted too');
});

test('a prefix that holds keys is refused, and the keys stay', async () => {
  cluster.etcdctl(['put', '/mine/a', '1']);
  const run = await runCli(['bench', 'load', '--prefix', '/mine/', '--duration', '2s', ...endpoints()]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^error: prefix \/mine\/ holds 1 keys: bench load writes only under an empty prefix.*etcdctl del --prefix \/mine\/\)\n$/);
  assert.equal(keysUnder('/mine/'), 1);
});

test('Ctrl-C stops the load, deletes its keys, prints the partial result and exits 130', async () => {
  const child = spawn(process.execPath, [CLI, 'bench', 'load', '--profile', 's', '--prefix', '/interrupted/', '-o', 'json', ...endpoints()], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Past the 2 s warm-up (about 300 keys) and 100 more into the run.
  while (keysUnder('/interrupted/') < 400) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  const result = JSON.parse(stdout) as LoadResult;
  assert.equal(result.partial, true);
  assert.equal(result.pass, false);
  assert.ok(result.total >= 100 && result.durationSeconds < 30, `${result.total} in ${result.durationSeconds} s`);
  assert.equal(result.keysLeft, 0);
  assert.equal(keysUnder('/interrupted/'), 0);
});

test('bad flags give one line and exit 2', async () => {
  for (const [args, message] of [
    [['--profile', 'xxl'], /^error: --profile: unknown value "xxl" \(choose s, m, l or xl\)\n$/],
    [['scan'], /^error: workload: unknown value "scan" \(choose put, range or txn-put\)\n$/],
    [['range', '--profile', 'm'], /^error: --profile is a put load/],
    [['put', '--key-size', '2', '--key-space-size', '1000'], /^error: --key-size 2 holds 256 distinct keys/],
    [['--duration', '10ms'], /^error: --duration: at least 1s\n$/],
    [['--warmup', 'soon'], /^error: --warmup: /],
    [['put', '--clients', '0'], /^error: --clients: at least 1\n$/],
    [['--prefix', ''], /^error: --prefix: must not be empty/],
  ] as const) {
    const run = await runCli(['bench', 'load', ...args, ...endpoints()]);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});
