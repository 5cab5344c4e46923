// `bench disk` and `bench load`: the performance probes. Each parses its flags, runs one core probe with Ctrl-C
// wired to cancellation (the probe cleans up what it wrote), renders, and exits 0 on pass, 1 on fail.

import type { Command } from 'commander';
import { probeDisk } from '../../shared/bench/disk.ts';
import { renderDiskText } from '../../shared/render/bench-text.ts';
import { renderData } from '../../shared/render/format.ts';
import { parseBytes } from '../../shared/util/bytes.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { parseDataFormat } from './compact.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { progressBar } from '../progress-bar.ts';

export function parseSize(text: unknown, flag: string): number {
  const bytes = parseBytes(String(text));
  if (bytes === undefined || bytes < 1) throw new UsageError(`${flag}: expected a size such as 22MiB or 2300, got "${String(text)}"`);
  return bytes;
}

/** Ctrl-C aborts the signal once (the probe stops and cleans up); a second Ctrl-C leaves at once. */
export async function interruptible<T>(io: Io, what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    io.stderr(`\nstopping ${what} and cleaning up (Ctrl-C again to leave now, leaving files or keys behind)\n`);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
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

export function registerBench(program: Command, io: Io, done: (code: number) => void): void {
  const bench = program.command('bench').description('performance probes: disk fdatasync latency, load test with check-perf verdicts');
  registerDisk(bench, io, done);
}
