// `bench disk`: etcd's fio recipe natively on the data disk; exit 0 on pass, 1 on fail, 130 when interrupted.

import { DISK_DEFAULTS, runDiskProbe } from '../../shared/entry/bench.ts';
import { renderDiskText } from '../../shared/render/bench-text.ts';
import { renderData } from '../../shared/render/format.ts';
import { command } from '../command.ts';
import { DATA_FORMATS, output, text, withOutput } from '../flags.ts';
import { interruptible } from '../interrupt.ts';
import { EXIT, type Io } from '../io.ts';
import { progressBar, textWidth } from '../output.ts';

interface DiskFlags {
  probe: { dir?: string; size?: string; block?: string };
  output: (typeof DATA_FORMATS)[number];
}

export const BENCH = { name: 'bench', description: 'performance probes: disk fdatasync latency, load test with check-perf verdicts' };

export const benchDisk = command<DiskFlags>({
  parent: BENCH,
  name: 'disk',
  declare: (c) => withOutput(c, DATA_FORMATS)
    .description("etcd's fio recipe natively: sequential block writes, each followed by a timed fdatasync, on the data disk")
    .option('--dir <path>', "directory on the disk to test: etcd's data directory's disk (a temporary file is made there and removed)", DISK_DEFAULTS.dir)
    .option('--size <bytes>', 'how much to write', DISK_DEFAULTS.size)
    .option('--block <bytes>', 'bytes per write (etcd WAL entries of a Kubernetes cluster are about this size)', DISK_DEFAULTS.block)
    .addHelpText('after', `
Run it on the etcd host (or a node like it), pointing --dir at the filesystem that holds etcd's data directory
(kubeadm: /var/lib/etcd). etcd waits for one fdatasync of its WAL on every write: the p99 should stay under 10 ms.
Same recipe as: fio --rw=write --ioengine=sync --fdatasync=1 --size=22m --bs=2300 --directory=DIR
Exit codes: 0 pass; 1 fail (p99 >= 10 ms); 2 bad usage; 130 interrupted (files removed, partial figures printed).`),
  parse: (raw) => ({ probe: { dir: text(raw, 'dir'), size: text(raw, 'size'), block: text(raw, 'block') }, output: output(raw, DATA_FORMATS) }),
  async run(flags, io: Io) {
    const bar = progressBar(io, 'fdatasync');
    const result = await interruptible(io, 'stopping the disk probe and cleaning up (Ctrl-C again to leave now, leaving files behind)', (signal) => runDiskProbe(flags.probe, {
      signal, onProgress: (written, total) => bar.update(written / total, `${written}/${total} writes`),
    }).finally(() => bar.stop()));
    io.stdout(flags.output === 'table' ? renderDiskText(result, textWidth(io, 100)) : renderData(result, flags.output));
    return result.partial ? EXIT.interrupted : result.verdict === 'pass' ? EXIT.ok : EXIT.findings;
  },
});
