// npm run bench:check — `check --window 0` against the etcdctl calls of the seed article's diagnostics script
// (version, endpoint health, endpoint status, member list, endpoint status -w json for fragmentation) on the same local
// 3-member cluster, alternated, medians and their ratio (goal <= 1.0x); then ours on 5 members against 3 (goal <= 1.15x).
// Both sides read every member (etcdctl gets all endpoints) and are timed as whole processes, start-up included. The
// floor is timed in the same rounds: `node -e 0` (Node starting and doing nothing) and `--version` (the bundle loaded).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LocalCluster, writeChurn } from '../shared/demo/local-cluster.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 31);
const CLI = join(__dirname, '../dist/kubectl-etcd_perf.js');

function timed(command: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && !(command === process.execPath && result.status === 1)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  }
  return ms;
}

function seedScript(endpoints: string): number {
  const flags = [`--endpoints=${endpoints}`];
  return timed('etcdctl', ['version'])
    + timed('etcdctl', [...flags, 'endpoint', 'health', '-w', 'table'])
    + timed('etcdctl', [...flags, 'endpoint', 'status', '-w', 'table'])
    + timed('etcdctl', [...flags, 'member', 'list', '-w', 'table'])
    + timed('etcdctl', [...flags, 'endpoint', 'status', '-w', 'json']);
}

function ours(endpoints: string): number {
  return timed(process.execPath, [CLI, 'check', '--window', '0', '-o', 'json', '--endpoints', endpoints]);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function main(): Promise<void> {
  process.stderr.write(`bench:check — ${RUNS} rounds, each running seed@3, ours@3 and ours@5 in turn\n`);
  const three = await LocalCluster.start({ size: 3 });
  const five = await LocalCluster.start({ size: 5 });
  try {
    for (const cluster of [three, five]) await writeChurn(cluster, { rounds: 3, keys: 1000 });
    const e3 = three.endpoints.join(',');
    const e5 = five.endpoints.join(',');
    ours(e3);
    ours(e5);
    seedScript(e3);
    const seed: number[] = [];
    const ours3: number[] = [];
    const ours5: number[] = [];
    const status3: number[] = [];
    const status5: number[] = [];
    const nodeAlone: number[] = [];
    const bundleLoaded: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      nodeAlone.push(timed(process.execPath, ['-e', '0']));
      bundleLoaded.push(timed(process.execPath, [CLI, '--version']));
      seed.push(seedScript(e3));
      ours3.push(ours(e3));
      ours5.push(ours(e5));
      status3.push(timed('etcdctl', [`--endpoints=${e3}`, 'endpoint', 'status', '-w', 'json']));
      status5.push(timed('etcdctl', [`--endpoints=${e5}`, 'endpoint', 'status', '-w', 'json']));
    }
    const [s3, o3, o5] = [median(seed), median(ours3), median(ours5)];
    const etcdctlScale = median(status5) / median(status3);
    const ratio = o3 / s3;
    const scale = o5 / o3;
    const row = (label: string, value: string): string => `${label.padEnd(54)} ${value}\n`;
    process.stdout.write(row('seed diagnostics (5 etcdctl calls), 3 members, median', `${s3.toFixed(1)} ms`));
    process.stdout.write(row('etcd-perf check --window 0, 3 members, median', `${o3.toFixed(1)} ms`));
    process.stdout.write(row('ratio ours / seed (goal <= 1.0)', `${ratio.toFixed(2)}x ${ratio <= 1 ? 'OK' : 'OVER GOAL'}`));
    const [n0, v0] = [median(nodeAlone), median(bundleLoaded)];
    process.stdout.write(row('floor: node -e 0, median (share of the seed)', `${n0.toFixed(1)} ms (${(n0 / s3).toFixed(2)}x)`));
    process.stdout.write(row('floor: etcd-perf --version, median (share of the seed)', `${v0.toFixed(1)} ms (${(v0 / s3).toFixed(2)}x)`));
    process.stdout.write(row('etcd-perf check --window 0, 5 members, median', `${o5.toFixed(1)} ms`));
    process.stdout.write(row('ratio 5 members / 3 members (goal <= 1.15)', `${scale.toFixed(3)}x ${scale <= 1.15 ? 'OK' : 'OVER GOAL'}`));
    process.stdout.write(row('reference: etcdctl endpoint status, 5 / 3 members', `${etcdctlScale.toFixed(3)}x`));
  } finally {
    await three.dispose();
    await five.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
