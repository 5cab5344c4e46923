// Runs the real fio with etcd's recipe on a directory and reads its fdatasync ("sync") latency percentiles from its
// JSON output (jobs[0].sync.lat_ns.percentile), for comparison with `bench disk`.

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface FioResult {
  p50Ms: number;
  p99Ms: number;
  writes: number;
  iops: number;
}

export async function runFio(dir: string, size = '22m', block = '2300'): Promise<FioResult> {
  const name = 'etcd-perf-fio';
  try {
    const { stdout } = await exec('fio', [`--name=${name}`, `--directory=${dir}`, '--rw=write', '--ioengine=sync', '--fdatasync=1',
      `--size=${size}`, `--bs=${block}`, '--output-format=json'], { maxBuffer: 16 * 1024 * 1024 });
    const job = (JSON.parse(stdout) as { jobs: Array<{ sync: { lat_ns: { percentile: Record<string, number> } }; write: { iops: number; total_ios: number } }> }).jobs[0];
    if (!job) throw new Error('fio printed no job');
    const percentile = job.sync.lat_ns.percentile;
    return { p50Ms: (percentile['50.000000'] ?? NaN) / 1e6, p99Ms: (percentile['99.000000'] ?? NaN) / 1e6, writes: job.write.total_ios, iops: job.write.iops };
  } finally {
    rmSync(join(dir, `${name}.0.0`), { force: true });
  }
}
