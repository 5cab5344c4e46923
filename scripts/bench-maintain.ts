// npm run bench:maintain — how much each way of maintaining etcd hurts a live cluster. A 3-member cluster gets ~300 MB
// of history (2,000 keys x 4 KiB rewritten 25 times) before each of four runs, all under the same steady writer
// (4 put loops through one client over all members), measuring every write:
//   seed      the article's script: etcdctl compact $REV, then etcdctl defrag on the first member only
//   etcdctl   etcdctl compact $REV --physical, then etcdctl defrag --cluster
//   ours      kubectl etcd-perf maintain --yes
//   ours-ml   kubectl etcd-perf maintain --yes --move-leader
// Printed per run: failed writes, p99 and worst write latency, space reclaimed, members back within 10 % (+2 MiB) of
// in use, wall time, and the data afterwards (every key and value under /churn/, HashKV of every member). Goal: ours has no failed write, reclaims every member, and its worst write is no worse than
// etcdctl defrag --cluster's. BENCH_ROUNDS (default 25) scales the history; BENCH_REPEAT (default 1) repeats the set;
// BENCH_METHODS=etcdctl,ours picks runs.

import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { LocalCluster, writeChurn } from '../shared/demo/local-cluster.ts';
import { copyPrefix, hashKvAll, startWriter } from '../test/harness/data.ts';
import { formatBytes, MiB } from '../shared/util/bytes.ts';

const CLI = join(__dirname, '../dist/kubectl-etcd_perf.js');
const execFileAsync = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);

interface MemberSize { name: string; endpoint: string; dbSize: number; inUse: number; leader: boolean }

function sizes(cluster: LocalCluster): MemberSize[] {
  const out = spawnSync(process.execPath, [CLI, 'status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')], { encoding: 'utf8' });
  const report = JSON.parse(out.stdout) as { members: Array<{ name: string; endpoint: string; dbSize: number; dbSizeInUse: number; isLeader: boolean }> };
  return report.members.map((m) => ({ name: m.name, endpoint: m.endpoint, dbSize: m.dbSize, inUse: m.dbSizeInUse, leader: m.isLeader }));
}

/** Runs a command without blocking this process' event loop, which drives the writer being measured. */
async function run(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')}: ${(error as Error).message}`);
  }
}

async function revisionOf(endpoint: string): Promise<string> {
  const status = await run('etcdctl', [`--endpoints=${endpoint}`, 'endpoint', 'status', '-w', 'json']);
  return (/"revision":(\d+)/.exec(status) as RegExpExecArray)[1] as string;
}

const METHODS: Record<string, (cluster: LocalCluster, before: MemberSize[]) => Promise<string>> = {
  seed: async (_cluster, before) => {
    const first = before[0] as MemberSize;
    await run('etcdctl', [`--endpoints=${first.endpoint}`, 'compact', await revisionOf(first.endpoint)]);
    await run('etcdctl', [`--endpoints=${first.endpoint}`, 'defrag']);
    return `defragmented ${first.name} only (${first.leader ? 'the leader' : 'a follower'})`;
  },
  etcdctl: async (cluster) => {
    const one = cluster.endpoints[0] as string;
    await run('etcdctl', [`--endpoints=${one}`, 'compact', await revisionOf(one), '--physical']);
    await run('etcdctl', [`--endpoints=${one}`, 'defrag', '--cluster', '--command-timeout=60s']);
    return 'defrag --cluster (member list order)';
  },
  ours: async (cluster) => {
    await run(process.execPath, [CLI, 'maintain', '--yes', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]);
    return 'maintain: followers first, leader last, in place';
  },
  'ours-ml': async (cluster) => {
    const out = JSON.parse(await run(process.execPath, [CLI, 'maintain', '--yes', '--move-leader', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]));
    const moved = out.defrag.steps.find((s: { leaderMovedTo: string | null }) => s.leaderMovedTo);
    return `maintain --move-leader${moved ? ` (leadership moved to ${moved.leaderMovedTo})` : ''}`;
  },
};

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  process.stderr.write(`bench:maintain — 3 members, ${ROUNDS} rounds of 2,000 x 4 KiB before each run, writer of 4 loops\n`);
  const cluster = await LocalCluster.start({ size: 3 });
  const rows: string[][] = [];
  try {
    for (let repeat = 0; repeat < REPEAT; repeat += 1) {
      for (const [name, method] of Object.entries(METHODS).filter(([n]) => !process.env.BENCH_METHODS || process.env.BENCH_METHODS.split(',').includes(n))) {
        process.stderr.write(`  ${name}: writing history ...`);
        await writeChurn(cluster, { rounds: ROUNDS, compact: false });
        const before = sizes(cluster);
        const keysBefore = await copyPrefix(cluster, '/churn/');
        process.stderr.write(' maintaining under the writer ...');
        const writer = startWriter(cluster);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const started = performance.now();
        const note = await method(cluster, before);
        const wall = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const writes = await writer.stop();
        const after = sizes(cluster);
        const keysAfter = await copyPrefix(cluster, '/churn/');
        const sameKeys = keysAfter.size === keysBefore.size && [...keysBefore].every(([k, v]) => keysAfter.get(k) === v);
        const revision = JSON.parse(spawnSync(process.execPath, [CLI, 'status', '-o', 'json', '--endpoints', cluster.endpoints.join(',')], { encoding: 'utf8' }).stdout).cluster.revision as number;
        const hashes = await hashKvAll(cluster, revision);
        const data = `${sameKeys ? `${keysAfter.size} keys same` : 'KEYS CHANGED'}, HashKV ${new Set(hashes).size === 1 ? 'equal' : 'DIFFERS'}`;
        const reclaimed = before.reduce((sum, m) => sum + m.dbSize, 0) - after.reduce((sum, m) => sum + m.dbSize, 0);
        const compacted = after.filter((m) => m.dbSize <= m.inUse * 1.1 + 2 * MiB).length;
        process.stderr.write(' done\n');
        rows.push([name, String(writes.failures.length), `${percentile(writes.latenciesMs, 0.99).toFixed(1)} ms`,
          `${Math.max(...writes.latenciesMs).toFixed(1)} ms`, formatBytes(reclaimed), `${compacted}/3`, `${(wall / 1000).toFixed(2)} s`, data, note]);
        if (writes.failures.length) process.stderr.write(`    failures: ${[...new Set(writes.failures)].slice(0, 3).join(' | ')}\n`);
      }
    }
  } finally {
    await cluster.dispose();
  }
  const header = ['run', 'failed writes', 'p99 write', 'worst write', 'reclaimed', 'members compact', 'wall', 'data after', 'what it did'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:maintain failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
