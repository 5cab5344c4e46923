// `watch`: a live view like top. Each interval is one check window (two scrapes, `interval` apart): members, leader,
// DB size, in use, fragmentation, fsync and commit p99 and proposals/s over that interval, the worst finding.
// On a terminal the frame is redrawn in place (alternate screen, restored on exit); otherwise one line per interval.

import type { Command } from 'commander';
import { runCheck } from '../../shared/check.ts';
import { noMemberReachable } from '../../shared/report.ts';
import { renderWatchFrame, renderWatchLine } from '../../shared/render/watch-view.ts';
import { formatDuration, parseDuration } from '../../shared/util/duration.ts';
import { describeError, UsageError } from '../../shared/util/errors.ts';
import { parseCount } from './compact.ts';
import { addConnectionFlags, resolveConnection } from '../connection-flags.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { cliLogger } from '../logger.ts';
import { silentLogger } from '../../shared/ports.ts';

const ALTERNATE_SCREEN = '\x1b[?1049h\x1b[?25l';
const MAIN_SCREEN = '\x1b[?25h\x1b[?1049l';

async function watch(options: Record<string, unknown>, io: Io): Promise<number> {
  const intervalMs = parseDuration(String(options.interval), '--interval');
  if (intervalMs < 500) throw new UsageError('--interval must be at least 500ms (each interval is a measuring window)');
  const count = parseCount(options.count, '--count');
  const heartbeatMs = parseDuration(String(options.heartbeatInterval ?? '100ms'), '--heartbeat-interval');
  const connection = await resolveConnection(options, io.env, cliLogger(io));
  const live = io.stdoutIsTty;
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const stopKeys = io.onKey?.((key) => { if (key === 'q' || key === 'Q' || key === '\u0003') stop(); });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (live) io.stdout(ALTERNATE_SCREEN);
  let frames = 0;
  let failure: string | undefined;
  try {
    while (!controller.signal.aborted && (count === undefined || frames < count)) {
      const report = await runCheck(connection, { windowMs: intervalMs, heartbeatMs, logger: silentLogger, signal: controller.signal });
      // Quitting mid-interval cuts the window short: such a frame would show a partial measurement, so none is drawn.
      if (controller.signal.aborted) break;
      frames += 1;
      const at = new Date();
      if (noMemberReachable(report)) {
        const cause = report.members.map((m) => `${m.endpoint}: ${m.error ?? 'no answer'}`).join('; ');
        if (live) io.stdout(`\x1b[H\x1b[2Jetcd-perf watch · ${at.toISOString().slice(11, 19)} · no member reachable: ${cause}\x1b[K`);
        else io.stdout(`${at.toISOString()} no member reachable: ${cause}\n`);
        continue;
      }
      if (live) {
        const lines = renderWatchFrame(report, { width: io.columns, intervalText: formatDuration(intervalMs), at });
        io.stdout(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\n')}\x1b[J`);
      } else {
        io.stdout(`${renderWatchLine(report, at)}\n`);
      }
    }
  } catch (error) {
    failure = describeError(error);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stopKeys?.();
    if (live) io.stdout(MAIN_SCREEN);
  }
  if (failure) throw new Error(failure);
  return EXIT.ok;
}

export function registerWatch(program: Command, io: Io, done: (code: number) => void): void {
  addConnectionFlags(program.command('watch'))
    .description('a live view like top: members, leader, DB size, in use, fragmentation, fsync/commit p99 and proposals/s per interval, the worst finding')
    .option('--interval <duration>', 'how often to redraw; each interval is measured as one window', '2s')
    .option('--count <n>', 'stop after this many intervals (default: until q or Ctrl-C)')
    .option('--heartbeat-interval <duration>', 'the cluster\'s --heartbeat-interval, to judge peer RTT', '100ms')
    .addHelpText('after', `
On a terminal the view is redrawn in place; q or Ctrl-C quits. Piped or redirected, it prints one line per interval.
Examples:
  kubectl etcd-perf watch --interval 5s
  kubectl etcd-perf watch --count 60 >> etcd-watch.log`)
    .action(async (options: Record<string, unknown>) => done(await watch(options, io)));
}
