// npm run bench:keyspace — `keyspace` against the only way etcdctl gets the same numbers (`etcdctl get / --prefix
// -w json`, piped to a byte count), on a local 3-member cluster holding BENCH_KEYS (default 200,000) keys under
// /registry/ of mixed sizes (pods, events, secrets, configmaps, leases, a CRD). Alternated BENCH_RUNS times (default 3):
// median wall times and their ratio (goal <= 1.0x), and our peak RSS (goal < 150 MB however many keys) from GNU time.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { KeyspaceReport } from '../shared/collect/keyspace.ts';
import { LocalCluster } from '../shared/demo/local-cluster.ts';

const KEYS = Number(process.env.BENCH_KEYS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLI = join(__dirname, '../dist/kubectl-etcd_perf.js');

/** The mix, as shares of the keys: resource, value size range in bytes, namespaced. */
const MIX: Array<[string, number, number, number]> = [
  ['pods', 0.3, 2000, 9000], ['events', 0.4, 300, 900], ['secrets', 0.05, 1000, 6000], ['configmaps', 0.05, 500, 40000],
  ['coordination.k8s.io/leases', 0.1, 300, 400], ['replicasets.apps', 0.05, 1500, 4000], ['example.com/widgets', 0.05, 100, 2000],
];

async function fill(cluster: LocalCluster): Promise<number> {
  const client = cluster.client();
  const kv = (client as unknown as { kv: { txn(request: object): Promise<unknown> } }).kv;
  let bytes = 0;
  let next = 0;
  const plan: Array<{ key: string; size: number }> = [];
  for (const [resource, share, min, max] of MIX) {
    const count = Math.round(KEYS * share);
    for (let i = 0; i < count; i += 1) {
      plan.push({ key: `/registry/${resource}/ns-${i % 50}/obj-${String(i).padStart(7, '0')}`, size: min + ((i * 7919) % (max - min)) });
    }
  }
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      // At most 100 puts and about 1 MiB per transaction (etcd's limits: 128 operations, 1.5 MiB per request).
      const batch: typeof plan = [];
      let size = 0;
      while (next < plan.length && batch.length < 100 && size < 1024 * 1024) {
        const item = plan[next] as (typeof plan)[number];
        batch.push(item);
        size += item.key.length + item.size;
        next += 1;
      }
      bytes += batch.reduce((sum, p) => sum + p.key.length + p.size, 0);
      await kv.txn({ success: batch.map((p) => ({ request_put: { key: Buffer.from(p.key), value: Buffer.alloc(p.size, 0x6b) } })) });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  client.close();
  return bytes;
}

function timed(script: string): { ms: number; stdout: string; stderr: string; failed?: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', script], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const failed = result.status !== 0 ? `exited ${result.status}: ${result.stderr.trim().split('\n').filter((l) => !/^(\d+|Command exited with non-zero status \d+)$/.test(l)).join(' / ')}` : undefined;
  return { ms, stdout: result.stdout, stderr: result.stderr, ...(failed ? { failed } : {}) };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const cluster = await LocalCluster.start({ size: 3, quotaBackendBytes: 8 * 1024 ** 3 });
  try {
    process.stderr.write(`bench:keyspace — writing ${KEYS} keys ...\n`);
    const written = await fill(cluster);
    const endpoints = cluster.endpoints.join(',');
    const ours: number[] = [];
    const theirs: number[] = [];
    const rss: number[] = [];
    let report: KeyspaceReport | undefined;
    let etcdctlBytes = 0;
    let etcdctlFailure = '';
    for (let run = 1; run <= RUNS; run += 1) {
      const mine = timed(`/usr/bin/time -f '%M' '${process.execPath}' '${CLI}' keyspace -o json --endpoints ${endpoints}`);
      if (mine.failed) throw new Error(`keyspace ${mine.failed}`);
      ours.push(mine.ms);
      rss.push(Number(mine.stderr.trim().split('\n').pop()) / 1024);
      report = JSON.parse(mine.stdout) as KeyspaceReport;
      const etcdctl = timed(`etcdctl --endpoints=${endpoints} --command-timeout=10m get / --prefix -w json | wc -c`);
      // One response holds every key: past 2 GiB (gRPC's message limit) etcdctl cannot get them at all.
      if (etcdctl.failed) etcdctlFailure = `etcdctl failed after ${(etcdctl.ms / 1000).toFixed(1)} s: ${etcdctl.failed}`;
      else theirs.push(etcdctl.ms);
      etcdctlBytes = Number(etcdctl.stdout.trim());
      process.stderr.write(`run ${run}/${RUNS}: ours ${mine.ms.toFixed(0)} ms (${rss[rss.length - 1]?.toFixed(0)} MB), etcdctl ${etcdctl.failed ? etcdctlFailure : `${etcdctl.ms.toFixed(0)} ms`}\n`);
    }
    const row = (label: string, value: string): string => `${label.padEnd(48)} ${value}\n`;
    const ratio = theirs.length ? median(ours) / median(theirs) : Number.NaN;
    const peak = Math.max(...rss);
    process.stdout.write(`bench:keyspace — ${report?.totalKeys} keys, ${((report?.totalBytes ?? 0) / 1024 ** 2).toFixed(0)} MiB of keys and values (written: ${(written / 1024 ** 2).toFixed(0)} MiB), local 3-member etcd, ${RUNS} alternated runs, medians\n`);
    process.stdout.write(row('keyspace -o json', `${median(ours).toFixed(0)} ms`));
    process.stdout.write(row('etcdctl get / --prefix -w json | wc -c', theirs.length ? `${median(theirs).toFixed(0)} ms (${(etcdctlBytes / 1024 ** 2).toFixed(0)} MiB of JSON)` : etcdctlFailure));
    process.stdout.write(row('ratio ours / etcdctl (goal <= 1.0)', theirs.length ? `${ratio.toFixed(2)}x ${ratio <= 1 ? 'OK' : 'OVER GOAL'}` : 'none: etcdctl could not read the keyspace'));
    process.stdout.write(row('our peak RSS (goal < 150 MB)', `${peak.toFixed(0)} MB ${peak < 150 ? 'OK' : 'OVER GOAL'}`));
    if (report?.totalBytes !== written) process.stdout.write(`MISMATCH: keyspace counted ${report?.totalBytes} bytes, ${written} were written\n`);
  } finally {
    await cluster.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:keyspace failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
