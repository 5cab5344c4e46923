// `watch`: a live view like top. Each interval is one measuring window (two scrapes, `interval` apart): members,
// leader, DB size, in use, fragmentation, fsync and commit p99 and proposals/s over that interval, the worst finding.
// On a terminal the frame is redrawn in place (alternate screen, restored on exit); otherwise one line per interval.

import { runStatus } from '../../shared/entry/check.ts';
import { connect, type ConnectionRequest } from '../../shared/entry/connect.ts';
import { renderWatchFrame, renderWatchLine } from '../../shared/render/watch-view.ts';
import { formatDuration } from '../../shared/util/duration.ts';
import { input } from '../../shared/util/errors.ts';
import { count, duration, positiveDuration } from '../../shared/util/input.ts';
import { CHECK_DEFAULTS, reportFailure } from '../../shared/entry/check.ts';
import { command } from '../command.ts';
import { connectionRequest, say, text, withConnectionFlags } from '../flags.ts';
import { interruptible } from '../interrupt.ts';
import { EXIT, type Io } from '../io.ts';
import { cliLogger } from '../output.ts';

const ALTERNATE_SCREEN = '\x1b[?1049h\x1b[?25l';
const MAIN_SCREEN = '\x1b[?25h\x1b[?1049l';

interface WatchFlags {
  connection: ConnectionRequest;
  intervalMs: number;
  count?: number;
  heartbeatMs: number;
}

export const watch = command<WatchFlags>({
  name: 'watch',
  declare: (c) => withConnectionFlags(c)
    .description('a live view like top: members, leader, DB size, in use, fragmentation, fsync/commit p99 and proposals/s per interval, the worst finding')
    .option('--interval <duration>', 'how often to redraw; each interval is measured as one window', '2s')
    .option('--count <n>', 'stop after this many intervals (default: until q or Ctrl-C)')
    .option('--heartbeat-interval <duration>', 'the cluster\'s --heartbeat-interval, to judge peer RTT', CHECK_DEFAULTS.heartbeatInterval)
    .addHelpText('after', `
On a terminal the view is redrawn in place; q or Ctrl-C quits. Piped or redirected, it prints one line per interval.
Examples:
  kubectl etcd-perf watch --interval 5s
  kubectl etcd-perf watch --count 60 >> etcd-watch.log`),
  parse: (raw) => ({
    connection: connectionRequest(raw),
    intervalMs: duration(text(raw, 'interval') ?? '2s', 'interval',
      { ok: (ms) => ms >= 500, says: `${input('interval')} must be at least 500ms (each interval is a measuring window)` }),
    ...(text(raw, 'count') !== undefined ? { count: count(text(raw, 'count') as string, 'count') } : {}),
    heartbeatMs: positiveDuration(text(raw, 'heartbeatInterval') ?? CHECK_DEFAULTS.heartbeatInterval, 'heartbeatInterval'),
  }),
  async run(flags, io: Io) {
    const connection = await connect(flags.connection, io.env, cliLogger(io));
    const live = io.stdoutIsTty;
    if (live) io.stdout(ALTERNATE_SCREEN);
    try {
      await interruptible(io, undefined, async (signal) => {
        const quit = new AbortController();
        signal.addEventListener('abort', () => quit.abort(), { once: true });
        const stopKeys = io.onKey?.((key) => { if (key === 'q' || key === 'Q' || key === '\u0003') quit.abort(); });
        try {
          for (let frames = 0; !quit.signal.aborted && (flags.count === undefined || frames < flags.count); frames += 1) {
            const report = await runStatus(connection, { windowMs: flags.intervalMs, heartbeatMs: flags.heartbeatMs, signal: quit.signal });
            // Quitting mid-interval cuts the window short: such a frame would show a partial measurement, so none is drawn.
            if (quit.signal.aborted) break;
            const at = new Date();
            const failure = reportFailure(report);
            if (failure) {
              const line = `no member reachable: ${say(failure.message).replace(/^no member reachable: /, '')}`;
              io.stdout(live ? `\x1b[H\x1b[2Jetcd-perf watch · ${at.toISOString().slice(11, 19)} · ${line}\x1b[K` : `${at.toISOString()} ${line}\n`);
            } else if (live) {
              const lines = renderWatchFrame(report, { width: io.columns, intervalText: formatDuration(flags.intervalMs), at });
              io.stdout(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\n')}\x1b[J`);
            } else {
              io.stdout(`${renderWatchLine(report, at)}\n`);
            }
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
