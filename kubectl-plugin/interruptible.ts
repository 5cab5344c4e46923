// Ctrl-C for long commands that clean up after themselves (bench, keyspace): the first aborts the core's signal and
// the command finishes with what it has; a second leaves at once.

import { EXIT } from './exit.ts';
import type { Io } from './io.ts';

/** Ctrl-C aborts the signal once (the probe stops and cleans up); a second Ctrl-C leaves at once. */
export async function interruptible<T>(io: Io, what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    io.stderr(`\nstopping ${what} and cleaning up (Ctrl-C again to leave now, leaving files or keys behind)\n`);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}
