// `compact`: physical compaction, finished on every member before we return.

import { connect, type ConnectionRequest } from '../../shared/entry/connect.ts';
import { compact as compactCluster, compactRequest } from '../../shared/entry/maintain.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderCompactText } from '../../shared/render/maintenance-text.ts';
import { command } from '../command.ts';
import { connectionRequest, DATA_FORMATS, output, text, withConnectionFlags, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, textWidth } from '../output.ts';

interface CompactFlags {
  connection: ConnectionRequest;
  target: ReturnType<typeof compactRequest>;
  output: (typeof DATA_FORMATS)[number];
}

export const compact = command<CompactFlags>({
  name: 'compact',
  declare: (c) => withOutput(withConnectionFlags(c), DATA_FORMATS)
    .description('compact the keyspace history (physical), and wait until every member has finished')
    .option('--revision <n>', 'compact up to this revision (default: the current revision)')
    .option('--keep-revisions <n>', 'keep this many most recent revisions')
    .addHelpText('after', `
Compaction removes old revisions; the space they took is reusable by etcd but the file only shrinks after a
defragmentation (kubectl etcd-perf maintain does both, safely).
Exit codes: 0 compacted (or nothing to do); 1 a member did not finish in time; 2 bad usage; 3 no member reachable.`),
  parse: (raw) => ({
    connection: connectionRequest(raw),
    target: compactRequest({ revision: text(raw, 'revision'), keepRevisions: text(raw, 'keepRevisions') }),
    output: output(raw, DATA_FORMATS),
  }),
  async run(flags, io: Io) {
    const connection = await connect(flags.connection, io.env, cliLogger(io));
    const result = await compactCluster(connection, { ...flags.target, logger: cliLogger(io) });
    io.stdout(flags.output === 'table' ? renderCompactText(result, textWidth(io)) : renderData(result, flags.output));
    return result.members.some((m) => m.finished === false) ? EXIT.findings : EXIT.ok;
  },
});
