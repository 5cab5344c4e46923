// `keyspace`: what fills etcd, by Kubernetes resource (or path prefix), read page by page from a follower.

import {
  connect, CONNECTION_INPUTS, type ConnectionRequest, KEYSPACE_INPUTS, keyspaceRequest, type KeyspaceRequest,
  renderData, renderKeyspaceText, runKeyspace,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { DATA_FORMATS, type DataFormat, declare, output, values, withOutput } from '../flags.ts';
import { EXIT, interruptible, type Io } from '../io.ts';
import { cliLogger, statusLine, textWidth } from '../output.ts';

type KeyspaceFlags = { connection: ConnectionRequest; request: KeyspaceRequest; output: DataFormat };

export const keyspace = command<KeyspaceFlags>({
  name: 'keyspace',
  declare: (c) => withOutput(declare(declare(c, CONNECTION_INPUTS), KEYSPACE_INPUTS), DATA_FORMATS)
    .description('what fills etcd: keys and bytes by Kubernetes resource (or path prefix), the largest and the most rewritten keys')
    .addHelpText('after', `
Reads every key under --prefix page by page at one revision, holding one page at a time, and tallies it:
under /registry/ by resource (/registry/<resource>/, /registry/<group>/<resource>/ for CRDs), elsewhere by --depth
path segments. Bytes are key length + value length. Ctrl-C prints what was read so far, marked partial.
Exit codes: 0 done; 2 bad usage; 3 no member reachable; 130 interrupted.`),
  parse: (raw) => ({ connection: values(raw, CONNECTION_INPUTS), request: keyspaceRequest(values(raw, KEYSPACE_INPUTS)), output: output(raw, DATA_FORMATS) }),
  async run(flags, io: Io) {
    const connection = await connect(flags.connection, io.env, cliLogger(io));
    const line = statusLine(io);
    const started = Date.now();
    const report = await interruptible(io, 'stopping the walk (Ctrl-C again to leave now)', (signal) => runKeyspace(connection, {
      ...flags.request, signal,
      onProgress: (keys) => line.show(`scanned ${keys} keys (${Math.round(keys / Math.max(0.001, (Date.now() - started) / 1000))}/s)`),
    }));
    line.end();
    io.stdout(flags.output === 'table' ? renderKeyspaceText(report, textWidth(io, 120)) : renderData(report, flags.output));
    return report.partial ? EXIT.interrupted : EXIT.ok;
  },
});
