// `snapshot save FILE`: a verified, atomically written snapshot of the keyspace.

import type { Command } from 'commander';
import { saveSnapshot, saveSnapshotOnNode } from '../../shared/maintain/snapshot.ts';
import { renderData } from '../../shared/render/format.ts';
import { formatBytes } from '../../shared/util/bytes.ts';
import { formatDuration } from '../../shared/util/duration.ts';
import { addConnectionFlags, resolveConnection } from '../connection-flags.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { cliLogger } from '../logger.ts';
import { parseDataFormat } from './compact.ts';

export function registerSnapshot(program: Command, io: Io, done: (code: number) => void): void {
  const snapshot = program.command('snapshot').description('snapshots of the keyspace');
  addConnectionFlags(snapshot.command('save <file>'))
    .description('stream a snapshot from one member, verify etcd\'s SHA-256, write it atomically')
    .option('--member <name|id|url>', 'member to stream from (default: the healthy follower with the least lag)')
    .option('--force', 'replace the file if it exists')
    .option('--on-node', 'through Kubernetes: FILE is a path in the member\'s pod on a hostPath volume (kubeadm: /var/lib/etcd/...), so the snapshot is saved on that node\'s disk')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText('after', `
The file is written to a temporary name beside it, checked, fsynced and renamed: it is whole or absent.
It keeps etcd's trailing checksum, so \`etcdctl snapshot restore\` verifies it.
Through Kubernetes a snapshot cannot be copied out of the distroless etcd image: --on-node saves it on the member's
node instead (etcdctl snapshot save in the pod, then snapshot status reads it back), e.g.
  kubectl etcd-perf snapshot save --on-node /var/lib/etcd/etcd-perf-snapshot.db
Exit codes: 0 saved; 1 the snapshot failed (nothing written); 2 bad usage; 3 no member reachable.`)
    .action(async (file: string, options: Record<string, unknown>) => {
      const format = parseDataFormat(options.output);
      const connection = await resolveConnection(options, io.env, cliLogger(io));
      let lastPercent = -1;
      if (options.onNode === true) {
        const saved = await saveSnapshotOnNode(connection, file, {
          member: typeof options.member === 'string' ? options.member : undefined, force: options.force === true, logger: cliLogger(io),
        });
        io.stdout(format === 'table'
          ? `saved on node ${saved.node} at ${saved.nodePath}${saved.nodePath === saved.path ? '' : ` (${saved.path} in the pod)`}: ${formatBytes(saved.bytes)} at revision ${saved.revision}, ${saved.keys} keys, from ${saved.member} in ${formatDuration(saved.tookMs)}; read back by etcdctl snapshot status (hash ${saved.hash})\n`
          : renderData(saved, format));
        done(EXIT.ok);
        return;
      }
      try {
        const result = await saveSnapshot(connection, file, {
          member: typeof options.member === 'string' ? options.member : undefined,
          force: options.force === true,
          logger: cliLogger(io),
          onProgress: (bytes, total) => {
            if (!io.stderrIsTty || !total) return;
            const percent = Math.floor((bytes / total) * 100);
            if (percent !== lastPercent) io.stderr(`\r${formatBytes(bytes)} of ${formatBytes(total)} (${percent}%)`);
            lastPercent = percent;
          },
        });
        if (io.stderrIsTty && lastPercent >= 0) io.stderr('\n');
        io.stdout(format === 'table'
          ? `saved ${result.file}: ${formatBytes(result.bytes)} at revision ${result.revision}${result.revisionExact ? '' : ' (or a little later: writes arrived as it began)'} from ${result.member} in ${formatDuration(result.tookMs)}; sha256 ${result.sha256} (verified)\n`
          : renderData(result, format));
        done(EXIT.ok);
      } catch (error) {
        if (io.stderrIsTty && lastPercent >= 0) io.stderr('\n');
        if (error instanceof Error && /^snapshot from /.test(error.message)) {
          io.stderr(`error: ${error.message}; nothing was written\n`);
          done(EXIT.findings);
          return;
        }
        throw error;
      }
    });
}
