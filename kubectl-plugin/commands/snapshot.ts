// `snapshot save FILE`: a verified, atomically written snapshot of the keyspace (or, through Kubernetes, one saved
// on the member's node).

import { connect, type ConnectionRequest } from '../../shared/entry/connect.ts';
import { takeSnapshot, type NodeSnapshotResult } from '../../shared/entry/snapshot.ts';
import { renderData } from '../../shared/render/format.ts';
import { nodeSnapshotLine, snapshotLine } from '../../shared/render/maintenance-text.ts';
import { formatBytes } from '../../shared/util/bytes.ts';
import { command } from '../command.ts';
import { connectionRequest, DATA_FORMATS, flag, output, text, withConnectionFlags, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger } from '../output.ts';

interface SnapshotFlags {
  connection: ConnectionRequest;
  file: string;
  member?: string;
  force: boolean;
  onNode: boolean;
  output: (typeof DATA_FORMATS)[number];
}

export const snapshotSave = command<SnapshotFlags>({
  parent: { name: 'snapshot', description: 'snapshots of the keyspace' },
  name: 'save <file>',
  declare: (c) => withOutput(withConnectionFlags(c), DATA_FORMATS)
    .description('stream a snapshot from one member, verify etcd\'s SHA-256, write it atomically')
    .option('--member <name|id|url>', 'member to stream from (default: the healthy follower with the least lag)')
    .option('--force', 'replace the file if it exists')
    .option('--on-node', 'through Kubernetes: FILE is a path in the member\'s pod on a hostPath volume (kubeadm: /var/lib/etcd/...), so the snapshot is saved on that node\'s disk')
    .addHelpText('after', `
The file is written to a temporary name beside it, checked, fsynced and renamed: it is whole or absent.
It keeps etcd's trailing checksum, so \`etcdctl snapshot restore\` verifies it.
Through Kubernetes a snapshot cannot be copied out of the distroless etcd image: --on-node saves it on the member's
node instead (etcdctl snapshot save in the pod, then snapshot status reads it back), e.g.
  kubectl etcd-perf snapshot save --on-node /var/lib/etcd/etcd-perf-snapshot.db
Exit codes: 0 saved; 1 the snapshot failed (nothing written); 2 bad usage; 3 no member reachable.`),
  parse: (raw) => ({
    connection: connectionRequest(raw), file: String(raw.args[0]), member: text(raw, 'member'), force: flag(raw, 'force'),
    onNode: flag(raw, 'onNode'), output: output(raw, DATA_FORMATS),
  }),
  async run(flags, io: Io) {
    const connection = await connect(flags.connection, io.env, cliLogger(io));
    let shown = -1;
    const result = await takeSnapshot(connection, {
      ...flags, logger: cliLogger(io),
      onProgress: (bytes, total) => {
        if (!io.stderrIsTty || !total) return;
        const percent = Math.floor((bytes / total) * 100);
        if (percent !== shown) io.stderr(`\r${formatBytes(bytes)} of ${formatBytes(total)} (${percent}%)`);
        shown = percent;
      },
    }).finally(() => { if (shown >= 0) io.stderr('\n'); });
    const line = 'nodePath' in result ? nodeSnapshotLine(result as NodeSnapshotResult) : snapshotLine(result);
    io.stdout(flags.output === 'table' ? `${line}\n` : renderData(result, flags.output));
    return EXIT.ok;
  },
});
