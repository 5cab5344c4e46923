// `compact`: physical compaction, finished on every member before we return.

import {
  compact as compactCluster, COMPACT_INPUTS, compactRequest, connect, CONNECTION_INPUTS, type ConnectionRequest,
  renderCompactText, renderData,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { DATA_FORMATS, type DataFormat, declare, output, values, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, textWidth } from '../output.ts';

type CompactFlags = { connection: ConnectionRequest; target: ReturnType<typeof compactRequest>; output: DataFormat };

export const compact = command<CompactFlags>({
  name: 'compact',
  declare: (c) => withOutput(declare(declare(c, CONNECTION_INPUTS), COMPACT_INPUTS), DATA_FORMATS)
    .description('compact the keyspace history (physical), and wait until every member has finished')
    .addHelpText('after', `
Compaction removes old revisions; the space they took is reusable by etcd but the file only shrinks after a
defragmentation (kubectl etcd-perf maintain does both, safely).
Exit codes: 0 compacted (or nothing to do); 1 a member did not finish in time; 2 bad usage; 3 no member reachable.`),
  parse: (raw) => ({ connection: values(raw, CONNECTION_INPUTS), target: compactRequest(values(raw, COMPACT_INPUTS)), output: output(raw, DATA_FORMATS) }),
  async run(flags, io: Io) {
    const result = await compactCluster(await connect(flags.connection, io.env, cliLogger(io)), { ...flags.target, logger: cliLogger(io) });
    io.stdout(flags.output === 'table' ? renderCompactText(result, textWidth(io)) : renderData(result, flags.output));
    return result.members.some((m) => m.finished === false) ? EXIT.findings : EXIT.ok;
  },
});
