// `bench disk` against the real fio on the same directory: the same number of writes and an fdatasync p99 within
// 0.67x..1.5x of fio's (the median of five rounds' ratios, each round one run of each back to back: a burst of other
// I/O on a shared machine moves one round's p99s, not the median); the facts about the filesystem agree with findmnt and
// df; nothing is left in the directory, also after Ctrl-C; bad flags give one line.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DiskProbeResult } from '../../shared/bench/disk.ts';
import { CLI, runCli } from '../harness/cli.ts';
import { runFio } from '../harness/fio.ts';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const workDir = (): string => mkdtempSync(join(process.env.ETCD_PERF_DISK_DIR ?? tmpdir(), 'etcd-perf-disk-test-'));

test('bench disk: fdatasync p99 within 0.67x..1.5x of fio on the same directory, same write count, nothing left behind', async () => {
  const dir = workDir();
  const ours: DiskProbeResult[] = [];
  const fio: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    // Who goes first alternates: a disk still settling (seen in CI: both sides' p99 falling from 1.5 to 0.4 ms over
    // the rounds) would otherwise always favour the second.
    const fioFirst = round % 2 === 1 ? await runFio(dir) : undefined;
    const result = await runCli(['bench', 'disk', '--dir', dir, '-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '', 'nothing on stderr when not a terminal');
    ours.push(JSON.parse(result.stdout) as DiskProbeResult);
    assert.deepEqual(readdirSync(dir), [], 'the probe removes its file');
    const theirs = fioFirst ?? await runFio(dir);
    fio.push(theirs.p99Ms);
    assert.equal(ours[round]?.writes, theirs.writes, 'the same number of 2300-byte writes as fio over 22 MiB');
  }
  const first = ours[0] as DiskProbeResult;
  assert.equal(first.blockBytes, 2300);
  assert.equal(first.dir, dir);
  assert.equal(first.partial, false);
  const f = first.fdatasync;
  assert.ok(f.p50Ms > 0 && f.p50Ms <= f.p90Ms && f.p90Ms <= f.p99Ms && f.p99Ms <= f.p999Ms && f.p999Ms <= f.maxMs, JSON.stringify(f));
  assert.ok(first.iops > 0);
  assert.equal(first.verdict, f.p99Ms < 10 ? 'pass' : 'fail');
  const ratio = median(ours.map((r, i) => r.fdatasync.p99Ms / (fio[i] as number)));
  assert.ok(ratio >= 0.67 && ratio <= 1.5, `p99 ours/fio = ${ratio.toFixed(2)} (ours ${ours.map((r) => r.fdatasync.p99Ms)}; fio ${fio.map((v) => v.toFixed(3))})`);

  const [fsType, options] = execFileSync('findmnt', ['-n', '-o', 'FSTYPE,OPTIONS', '--target', dir], { encoding: 'utf8' }).trim().split(/\s+/);
  assert.equal(first.filesystem.type, fsType);
  for (const option of (options as string).split(',')) assert.ok(first.filesystem.options.includes(option), `${option} in ${first.filesystem.options.join(',')}`);
  assert.equal(first.filesystem.noatime, (options as string).split(',').includes('noatime'));
  const avail = Number(execFileSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' }).split('\n')[1]);
  assert.ok(Math.abs(first.filesystem.freeBytes - avail) < 512 * 1024 * 1024, `free ${first.filesystem.freeBytes} vs df ${avail}`);
});

test('bench disk: Ctrl-C stops the probe, prints partial figures, exits 130 and removes its file', async () => {
  const dir = workDir();
  const child = spawn(process.execPath, [CLI, 'bench', 'disk', '--dir', dir, '--size', '1GiB', '-o', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  while (!readdirSync(dir).some((name) => readdirSync(join(dir, name)).length > 0)) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  const result = JSON.parse(stdout) as DiskProbeResult;
  assert.equal(result.partial, true);
  assert.ok(result.writes > 0 && result.writes < Math.floor(1024 ** 3 / 2300), String(result.writes));
  assert.match(stderr, /stopping the disk probe and cleaning up/);
  assert.deepEqual(readdirSync(dir), [], 'nothing left after Ctrl-C');
});

test('bench disk: bad flags and directories give one line and exit 2', async () => {
  for (const [args, message] of [
    [['--dir', '/nonexistent/etcd'], /^error: --dir: \/nonexistent\/etcd does not exist\n$/],
    [['--dir', '/etc/hostname'], /^error: --dir: \/etc\/hostname is not a directory\n$/],
    [['--size', 'lots'], /^error: --size: expected a size such as 22MiB or 2300, got "lots"\n$/],
    [['--block', '4KiB', '--size', '1KiB'], /^error: --size: must be at least one block\n$/],
    [['-o', 'xml'], /^error: -o\/--output: unknown format "xml"/],
  ] as const) {
    const result = await runCli(['bench', 'disk', ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});
