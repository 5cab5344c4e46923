// Where the CLI writes besides results on stdout: progress and warnings on stderr (progress only on a terminal, so
// -o json stays clean when piped), a progress bar, and documents written whole to --out.

import { describeError, input, type Logger, UsageError, writeFileWhole } from '../shared/entry/index.ts';
import { say } from './flags.ts';
import type { Io } from './io.ts';

export function cliLogger(io: Io): Logger {
  return {
    info: (message) => { if (io.stderrIsTty) io.stderr(`${say(message)}\n`); },
    warn: (message) => io.stderr(`warning: ${say(message)}\n`),
  };
}

/** Results for a terminal fit its width; piped, they fit `width`. */
export function textWidth(io: Io, width = 80): number {
  return io.stdoutIsTty ? io.columns : width;
}

/** One line of progress on stderr, redrawn in place; only on a terminal. */
export interface StatusLine {
  show(text: string): void;
  /** Clears the line, or with `keep` leaves its last text and moves on. */
  end(keep?: boolean): void;
}

export function statusLine(io: Io): StatusLine {
  if (!io.stderrIsTty) return { show: () => undefined, end: () => undefined };
  let drawn = false;
  return {
    show(text) {
      io.stderr(`\r${text}\x1b[K`);
      drawn = true;
    },
    end(keep = false) {
      if (drawn) io.stderr(keep ? '\n' : '\r\x1b[K');
      drawn = false;
    },
  };
}

export interface ProgressBar {
  /** `fraction` 0..1; `text` follows the bar (counts, rates). */
  update(fraction: number, text: string): void;
  /** Clears the bar's line. */
  stop(): void;
}

const BAR = 24;

export function progressBar(io: Io, label: string): ProgressBar {
  const line = statusLine(io);
  let last = 0;
  return {
    update(fraction, text) {
      const now = Date.now();
      if (last && now - last < 100 && fraction < 1) return;
      last = now;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR);
      line.show(`${label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${Math.floor(fraction * 100)}% ${text}`);
    },
    stop: () => line.end(),
  };
}

/** A document to stdout, or to `out` written whole (a temporary file renamed into place), saying where on stderr. */
export function writeOutput(io: Io, text: string, out: string | undefined, what: string): void {
  if (out === undefined || out === '-') {
    io.stdout(text);
    return;
  }
  try {
    writeFileWhole(out, text);
  } catch (error) {
    throw new UsageError(`${input('out')} ${out}: ${describeError(error)}`, 'out');
  }
  io.stderr(`wrote ${what} to ${out}\n`);
}
