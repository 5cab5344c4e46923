// `keyspace`: what fills etcd, by Kubernetes resource (or path prefix), read page by page from a follower.

import type { Command } from 'commander';
import { runKeyspace } from '../../shared/keyspace.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderKeyspaceText } from '../../shared/render/keyspace-text.ts';
import { MiB } from '../../shared/util/bytes.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { parseCount, parseDataFormat } from './compact.ts';
import { addConnectionFlags, resolveConnection } from '../connection-flags.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { cliLogger } from '../logger.ts';
import { interruptible } from '../interruptible.ts';

export function registerKeyspace(program: Command, io: Io, done: (code: number) => void): void {
  addConnectionFlags(program.command('keyspace'))
    .description('what fills etcd: keys and bytes by Kubernetes resource (or path prefix), the largest and the most rewritten keys')
    .option('--prefix <key>', 'walk only the keys under this prefix', '/')
    .option('--depth <n>', 'outside /registry/: group by this many path segments', '2')
    .option('--top <n>', 'how many largest and most rewritten keys to list', '10')
    .option('--by-namespace', 'split each Kubernetes resource by namespace')
    .option('--keys-only', 'count keys without reading values (faster; bytes are then key bytes only)')
    .option('--rate-limit <keys/s>', 'read at most this many keys per second (0: no limit)', '0')
    .option('--consistency <l|s>', 's: serializable reads from a follower (default, spares the leader); l: linearizable', 's')
    .option('--page-size <keys>', 'keys in the first page; later pages adapt to about 4 MiB', '1000')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText('after', `
Reads every key under --prefix page by page at one revision, holding one page at a time, and tallies it:
under /registry/ by resource (/registry/<resource>/, /registry/<group>/<resource>/ for CRDs), elsewhere by --depth
path segments. Bytes are key length + value length. Ctrl-C prints what was read so far, marked partial.
Exit codes: 0 done; 2 bad usage; 3 no member reachable; 130 interrupted.`)
    .action(async (options: Record<string, unknown>) => {
      const format = parseDataFormat(options.output);
      const depth = parseCount(options.depth, '--depth') as number;
      if (depth < 1) throw new UsageError('--depth: at least 1');
      const pageKeys = parseCount(options.pageSize, '--page-size') as number;
      if (pageKeys < 1) throw new UsageError('--page-size: at least 1');
      const consistency = String(options.consistency);
      if (consistency !== 'l' && consistency !== 's') throw new UsageError(`--consistency: unknown value "${consistency}" (choose l or s)`);
      const connection = await resolveConnection(options, io.env, cliLogger(io));
      if (connection.transport && connection.transport.kind !== 'grpc') {
        throw new UsageError('keyspace reads the members over gRPC: give --endpoints (through Kubernetes, e.g. with kubectl port-forward)');
      }
      let shown = false;
      const started = Date.now();
      const report = await interruptible(io, 'the walk', (signal) => runKeyspace(connection, {
        prefix: String(options.prefix), depth, byNamespace: options.byNamespace === true, top: parseCount(options.top, '--top') as number,
        rateLimit: parseCount(options.rateLimit, '--rate-limit') as number, keysOnly: options.keysOnly === true,
        serializable: consistency === 's', pageKeys, pageBytes: 4 * MiB, signal,
        onProgress: (keys) => {
          if (!io.stderrIsTty) return;
          shown = true;
          io.stderr(`\rscanned ${keys} keys (${Math.round(keys / Math.max(0.001, (Date.now() - started) / 1000))}/s)\x1b[K`);
        },
      }));
      if (shown) io.stderr('\r\x1b[K');
      io.stdout(format === 'table' ? renderKeyspaceText(report, io.stdoutIsTty ? io.columns : 120) : renderData(report, format));
      done(report.partial ? EXIT.interrupted : EXIT.ok);
    });
}
