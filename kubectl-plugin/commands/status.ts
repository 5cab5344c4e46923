// `status`: the member table (endpoint, id, version, sizes, fragmentation, role, raft index, errors); it reads only the
// members themselves.

import {
  connect, CONNECTION_INPUTS, type ConnectionRequest, failIfNothingAnswered, renderData, renderStatusMarkdown, renderStatusText, runStatus,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { declare, output, REPORT_LIKE_FORMATS, type ReportLikeFormat, values, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger, textWidth } from '../output.ts';

type StatusFlags = { connection: ConnectionRequest; output: ReportLikeFormat };

export const status = command<StatusFlags>({
  name: 'status',
  declare: (c) => withOutput(declare(c, CONNECTION_INPUTS), REPORT_LIKE_FORMATS)
    .description('the member table: endpoint, id, version, DB size, in use, fragmentation, role, raft index, errors')
    .addHelpText('after', '\nExit codes: 0 at least one member answered; 2 bad usage; 3 no member reachable.'),
  parse: (raw) => ({ connection: values(raw, CONNECTION_INPUTS), output: output(raw, REPORT_LIKE_FORMATS) }),
  async run(flags, io: Io) {
    const report = await runStatus(await connect(flags.connection, io.env, cliLogger(io)), { logger: cliLogger(io) });
    // With nothing read, a table would only repeat the error; data formats still carry the report for scripts.
    if (flags.output === 'json' || flags.output === 'yaml') io.stdout(renderData({ cluster: report.cluster, members: report.members }, flags.output));
    failIfNothingAnswered(report);
    if (flags.output === 'markdown') io.stdout(renderStatusMarkdown(report));
    else if (flags.output === 'table') io.stdout(renderStatusText(report, { width: textWidth(io) }));
    return EXIT.ok;
  },
});
