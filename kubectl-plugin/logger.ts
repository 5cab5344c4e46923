// Progress goes to stderr, and only on a terminal unless it is a warning: stdout stays clean for -o json.

import type { Logger } from '../shared/ports.ts';
import type { Io } from './io.ts';

export function cliLogger(io: Io): Logger {
  return {
    info: (message) => { if (io.stderrIsTty) io.stderr(`${message}\n`); },
    warn: (message) => io.stderr(`warning: ${message}\n`),
  };
}
