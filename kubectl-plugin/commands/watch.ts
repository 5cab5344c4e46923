// `watch`: a live view like top: each interval one measuring window (members, leader, DB size, in use, fragmentation,
// fsync and commit p99 and proposals/s over it, the worst finding). On a terminal the frame is redrawn in place
// (alternate screen, restored on exit); otherwise one line per interval.

import {
  connect, CONNECTION_INPUTS, type ConnectionRequest, formatDuration, renderWatchFrame, renderWatchLine, WATCH_INPUTS,
  watchReports, watchRequest, type WatchRequest,
} from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { declare, say, values } from '../flags.ts';
import { EXIT, interruptible, type Io } from '../io.ts';
import { cliLogger } from '../output.ts';

const ALTERNATE_SCREEN = '\x1b[?1049h\x1b[?25l';
const MAIN_SCREEN = '\x1b[?25h\x1b[?1049l';

type WatchFlags = { connection: ConnectionRequest; watch: WatchRequest };

export const watch = command<WatchFlags>({
  name: 'watch',
  declare: (c) => declare(declare(c, CONNECTION_INPUTS), WATCH_INPUTS)
    .description('a live view like top: members, leader, DB size, in use, fragmentation, fsync/commit p99 and proposals/s per interval, the worst finding')
    .addHelpText('after', `
On a terminal the view is redrawn in place; q or Ctrl-C quits. Piped or redirected, it prints one line per interval.
Examples:
  kubectl etcd-perf watch --interval 5s
  kubectl etcd-perf watch --count 60 >> etcd-watch.log`),
  parse: (raw) => ({ connection: values(raw, CONNECTION_INPUTS), watch: watchRequest(values(raw, WATCH_INPUTS)) }),
  async run(flags, io: Io) {
    const connection = await connect(flags.connection, io.env, cliLogger(io));
    const live = io.stdoutIsTty;
    const intervalText = formatDuration(flags.watch.intervalMs);
    if (live) io.stdout(ALTERNATE_SCREEN);
    try {
      await interruptible(io, undefined, async (signal) => {
        const quit = new AbortController();
        signal.addEventListener('abort', () => quit.abort(), { once: true });
        const stopKeys = io.onKey?.((key) => { if (key === 'q' || key === 'Q' || key === '\u0003') quit.abort(); });
        try {
          for await (const { report, at } of watchReports(connection, flags.watch, quit.signal)) {
            if (live) io.stdout(`\x1b[H${say(renderWatchFrame(report, { width: io.columns, intervalText, at }).map((l) => `${l}\x1b[K`).join('\n'))}\x1b[J`);
            else io.stdout(`${say(renderWatchLine(report, at))}\n`);
          }
        } finally {
          stopKeys?.();
        }
      });
    } finally {
      if (live) io.stdout(MAIN_SCREEN);
    }
    return EXIT.ok;
  },
});
