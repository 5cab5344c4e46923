// npm run bench:disk — our `bench disk` against fio with etcd's recipe (--rw=write --ioengine=sync --fdatasync=1
// --size=22m --bs=2300) on the same directory (BENCH_DIR, default the system temp dir), alternated three times (BENCH_RUNS):
// median fdatasync p99 of each and their ratio (goal 0.8..1.25), plus p50 and IOPS for reference.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiskProbeResult } from '../shared/bench/disk.ts';
import { runFio, type FioResult } from '../test/harness/fio.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLI = join(__dirname, '../dist/kubectl-etcd_perf.js');
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function ours(dir: string): DiskProbeResult {
  const result = spawnSync(process.execPath, [CLI, 'bench', 'disk', '--dir', dir, '-o', 'json'], { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`bench disk exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as DiskProbeResult;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'etcd-perf-bench-disk-'));
  try {
    const mine: DiskProbeResult[] = [];
    const fio: FioResult[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      mine.push(ours(dir));
      fio.push(await runFio(dir));
      const [a, b] = [mine[mine.length - 1] as DiskProbeResult, fio[fio.length - 1] as FioResult];
      process.stderr.write(`run ${run}/${RUNS}: ours p99 ${a.fdatasync.p99Ms.toFixed(3)} ms, fio p99 ${b.p99Ms.toFixed(3)} ms\n`);
    }
    const row = (label: string, value: string): string => `${label.padEnd(44)} ${value}\n`;
    const p99 = [median(mine.map((r) => r.fdatasync.p99Ms)), median(fio.map((r) => r.p99Ms))] as const;
    const ratio = p99[0] / p99[1];
    process.stdout.write(`bench:disk — ${dir} (${mine[0]?.filesystem.type} on ${mine[0]?.filesystem.source}), ${RUNS} alternated runs each, medians\n`);
    process.stdout.write(row('fdatasync p50 ours / fio', `${median(mine.map((r) => r.fdatasync.p50Ms)).toFixed(3)} / ${median(fio.map((r) => r.p50Ms)).toFixed(3)} ms`));
    process.stdout.write(row('fdatasync p99 ours / fio', `${p99[0].toFixed(3)} / ${p99[1].toFixed(3)} ms`));
    process.stdout.write(row('IOPS ours / fio', `${median(mine.map((r) => r.iops)).toFixed(0)} / ${median(fio.map((r) => r.iops)).toFixed(0)}`));
    process.stdout.write(row('ratio p99 ours / fio (goal 0.8..1.25)', `${ratio.toFixed(2)}x ${ratio >= 0.8 && ratio <= 1.25 ? 'OK' : 'OUTSIDE GOAL'}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:disk failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
