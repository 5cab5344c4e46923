// `bench disk`: etcd's fio recipe natively on the data disk; exit 0 on pass, 1 on fail, 130 when interrupted.

import { DISK_INPUTS, renderData, renderDiskText, runDiskProbe } from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { DATA_FORMATS, type DataFormat, declare, output, values, withOutput } from '../flags.ts';
import { EXIT, interruptible, type Io } from '../io.ts';
import { progressBar, textWidth } from '../output.ts';

type DiskFlags = { probe: { dir?: string; size?: string; block?: string }; output: DataFormat };

export const BENCH = { name: 'bench', description: 'performance probes: disk fdatasync latency, load test with check-perf verdicts' };

export const benchDisk = command<DiskFlags>({
  parent: BENCH,
  name: 'disk',
  declare: (c) => withOutput(declare(c, DISK_INPUTS), DATA_FORMATS)
    .description("etcd's fio recipe natively: sequential block writes, each followed by a timed fdatasync, on the data disk")
    .addHelpText('after', `
Run it on the etcd host (or a node like it), pointing --dir at the filesystem that holds etcd's data directory
(kubeadm: /var/lib/etcd). etcd waits for one fdatasync of its WAL on every write: the p99 should stay under 10 ms.
Same recipe as: fio --rw=write --ioengine=sync --fdatasync=1 --size=22m --bs=2300 --directory=DIR
Exit codes: 0 pass; 1 fail (p99 >= 10 ms); 2 bad usage; 130 interrupted (files removed, partial figures printed).`),
  parse: (raw) => ({ probe: values(raw, DISK_INPUTS), output: output(raw, DATA_FORMATS) }),
  async run(flags, io: Io) {
    const bar = progressBar(io, 'fdatasync');
    const result = await interruptible(io, 'stopping the disk probe and cleaning up (Ctrl-C again to leave now, leaving files behind)', (signal) => runDiskProbe(flags.probe, {
      signal, onProgress: (written, total) => bar.update(written / total, `${written}/${total} writes`),
    }).finally(() => bar.stop()));
    io.stdout(flags.output === 'table' ? renderDiskText(result, textWidth(io, 100)) : renderData(result, flags.output));
    return result.partial ? EXIT.interrupted : result.verdict === 'pass' ? EXIT.ok : EXIT.findings;
  },
});
