// A progress bar on stderr for long probes, drawn only on a terminal; piped or redirected runs stay quiet.

import type { Io } from './io.ts';

export interface ProgressBar {
  /** `fraction` 0..1; `text` follows the bar (counts, rates). */
  update(fraction: number, text: string): void;
  /** Clears the bar's line. */
  stop(): void;
}

const WIDTH = 24;

export function progressBar(io: Io, label: string): ProgressBar {
  if (!io.stderrIsTty) return { update: () => undefined, stop: () => undefined };
  let drawn = false;
  let last = 0;
  return {
    update(fraction, text) {
      const now = Date.now();
      if (drawn && now - last < 100 && fraction < 1) return;
      last = now;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * WIDTH);
      io.stderr(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.floor(fraction * 100)}% ${text}\x1b[K`);
      drawn = true;
    },
    stop() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}
