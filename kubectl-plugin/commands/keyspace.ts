// `keyspace`: what fills etcd, by Kubernetes resource (or path prefix), read page by page from a follower.

import { connect, type ConnectionRequest } from '../../shared/entry/connect.ts';
import { KEYSPACE_DEFAULTS, keyspaceRequest, runKeyspace } from '../../shared/entry/keyspace.ts';
import type { KeyspaceRequest } from '../../shared/collect/keyspace.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderKeyspaceText } from '../../shared/render/keyspace-text.ts';
import { command } from '../command.ts';
import { connectionRequest, DATA_FORMATS, flag, output, text, withConnectionFlags, withOutput } from '../flags.ts';
import { interruptible } from '../interrupt.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, textWidth } from '../output.ts';

interface KeyspaceFlags {
  connection: ConnectionRequest;
  request: KeyspaceRequest;
  output: (typeof DATA_FORMATS)[number];
}

export const keyspace = command<KeyspaceFlags>({
  name: 'keyspace',
  declare: (c) => withOutput(withConnectionFlags(c), DATA_FORMATS)
    .description('what fills etcd: keys and bytes by Kubernetes resource (or path prefix), the largest and the most rewritten keys')
    .option('--prefix <key>', 'walk only the keys under this prefix', KEYSPACE_DEFAULTS.prefix)
    .option('--depth <n>', 'outside /registry/: group by this many path segments', KEYSPACE_DEFAULTS.depth)
    .option('--top <n>', 'how many largest and most rewritten keys to list', KEYSPACE_DEFAULTS.top)
    .option('--by-namespace', 'split each Kubernetes resource by namespace')
    .option('--keys-only', 'count keys without reading values (faster; bytes are then key bytes only)')
    .option('--rate-limit <keys/s>', 'read at most this many keys per second (0: no limit)', KEYSPACE_DEFAULTS.rateLimit)
    .option('--consistency <l|s>', 's: serializable reads from a follower (default, spares the leader); l: linearizable', KEYSPACE_DEFAULTS.consistency)
    .option('--page-size <keys>', 'keys in the first page; later pages adapt to about 4 MiB', KEYSPACE_DEFAULTS.pageSize)
    .addHelpText('after', `
Reads every key under --prefix page by page at one revision, holding one page at a time, and tallies it:
under /registry/ by resource (/registry/<resource>/, /registry/<group>/<resource>/ for CRDs), elsewhere by --depth
path segments. Bytes are key length + value length. Ctrl-C prints what was read so far, marked partial.
Exit codes: 0 done; 2 bad usage; 3 no member reachable; 130 interrupted.`),
  parse: (raw) => ({
    connection: connectionRequest(raw),
    request: keyspaceRequest({
      prefix: text(raw, 'prefix'), depth: text(raw, 'depth'), top: text(raw, 'top'), byNamespace: flag(raw, 'byNamespace'), keysOnly: flag(raw, 'keysOnly'),
      rateLimit: text(raw, 'rateLimit'), consistency: text(raw, 'consistency'), pageSize: text(raw, 'pageSize'),
    }),
    output: output(raw, DATA_FORMATS),
  }),
  async run(flags, io: Io) {
    const connection = await connect(flags.connection, io.env, cliLogger(io));
    let shown = false;
    const started = Date.now();
    const report = await interruptible(io, 'stopping the walk (Ctrl-C again to leave now)', (signal) => runKeyspace(connection, {
      ...flags.request, signal,
      onProgress: (keys) => {
        if (!io.stderrIsTty) return;
        shown = true;
        io.stderr(`\rscanned ${keys} keys (${Math.round(keys / Math.max(0.001, (Date.now() - started) / 1000))}/s)\x1b[K`);
      },
    }));
    if (shown) io.stderr('\r\x1b[K');
    io.stdout(flags.output === 'table' ? renderKeyspaceText(report, textWidth(io, 120)) : renderData(report, flags.output));
    return report.partial ? EXIT.interrupted : EXIT.ok;
  },
});
