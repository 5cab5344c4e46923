// `snapshot save FILE`: a verified, atomically written snapshot of the keyspace (or, through Kubernetes, one saved
// on the member's node).

import {
  connect, CONNECTION_INPUTS, type ConnectionRequest, renderData, SNAPSHOT_INPUTS, snapshotLine, snapshotProgress,
  type SnapshotRequest, takeSnapshot,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { DATA_FORMATS, type DataFormat, declare, output, values, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, statusLine } from '../output.ts';

type SnapshotFlags = { connection: ConnectionRequest; snapshot: SnapshotRequest; output: DataFormat };

export const snapshotSave = command<SnapshotFlags>({
  parent: { name: 'snapshot', description: 'snapshots of the keyspace' },
  name: 'save <file>',
  declare: (c) => withOutput(declare(declare(c, CONNECTION_INPUTS), SNAPSHOT_INPUTS), DATA_FORMATS)
    .description('stream a snapshot from one member, verify etcd\'s SHA-256, write it atomically')
    .addHelpText('after', `
The file is written to a temporary name beside it, checked, fsynced and renamed: it is whole or absent.
It keeps etcd's trailing checksum, so \`etcdctl snapshot restore\` verifies it.
Through Kubernetes a snapshot cannot be copied out of the distroless etcd image: --on-node saves it on the member's
node instead (etcdctl snapshot save in the pod, then snapshot status reads it back), e.g.
  kubectl etcd-perf snapshot save --on-node /var/lib/etcd/etcd-perf-snapshot.db
Exit codes: 0 saved; 1 the snapshot failed (nothing written); 2 bad usage; 3 no member reachable.`),
  parse: (raw) => ({ connection: values(raw, CONNECTION_INPUTS), snapshot: { ...values(raw, SNAPSHOT_INPUTS), file: String(raw.args[0]) }, output: output(raw, DATA_FORMATS) }),
  async run(flags, io: Io) {
    const line = statusLine(io);
    let shown: number | undefined;
    const result = await takeSnapshot(await connect(flags.connection, io.env, cliLogger(io)), {
      ...flags.snapshot, logger: cliLogger(io),
      onProgress: (bytes, total) => {
        // Redrawn once a percent, or once a MiB when the size is not known.
        const step = total ? Math.floor((bytes / total) * 100) : Math.floor(bytes / 1048576);
        if (step === shown) return;
        line.show(snapshotProgress(bytes, total));
        shown = step;
      },
    }).finally(() => line.end(true));
    io.stdout(flags.output === 'table' ? `${snapshotLine(result)}\n` : renderData(result, flags.output));
    return EXIT.ok;
  },
});
