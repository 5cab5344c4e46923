// `status`: the member table (endpoint, id, version, sizes, fragmentation, role, raft index, errors); it reads only the
// members themselves.

import { runStatus } from '../../shared/entry/check.ts';
import { connect, type ConnectionRequest } from '../../shared/entry/connect.ts';
import { renderStatusText } from '../../shared/render/check-text.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderStatusMarkdown } from '../../shared/render/markdown.ts';
import { command } from '../command.ts';
import { connectionRequest, output, REPORT_LIKE_FORMATS, withConnectionFlags, withOutput } from '../flags.ts';
import type { Io } from '../io.ts';
import { cliLogger, nothingAnswered, textWidth } from '../output.ts';

interface StatusFlags {
  connection: ConnectionRequest;
  output: (typeof REPORT_LIKE_FORMATS)[number];
}

export const status = command<StatusFlags>({
  name: 'status',
  declare: (c) => withOutput(withConnectionFlags(c), REPORT_LIKE_FORMATS)
    .description('the member table: endpoint, id, version, DB size, in use, fragmentation, role, raft index, errors')
    .addHelpText('after', '\nExit codes: 0 at least one member answered; 2 bad usage; 3 no member reachable.'),
  parse: (raw) => ({ connection: connectionRequest(raw), output: output(raw, REPORT_LIKE_FORMATS) }),
  async run(flags, io: Io) {
    const report = await runStatus(await connect(flags.connection, io.env, cliLogger(io)), { logger: cliLogger(io) });
    const data = flags.output === 'json' || flags.output === 'yaml';
    const failure = nothingAnswered(report, io);
    // With nothing read, a table would only repeat the error; data formats still carry the report for scripts.
    if (failure !== undefined && !data) return failure;
    if (data) io.stdout(renderData({ cluster: report.cluster, members: report.members }, flags.output as 'json' | 'yaml'));
    else io.stdout(flags.output === 'markdown' ? renderStatusMarkdown(report) : renderStatusText(report, { width: textWidth(io) }));
    return failure ?? 0;
  },
});
