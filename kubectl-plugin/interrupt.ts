// Ctrl-C for every long command, one way: the first aborts the core's signal and the command finishes with what it
// has (the probe cleans up, the walk prints what it read, maintenance stops between members, watch quits); a second
// leaves at once.

import { EXIT, type Io } from './io.ts';

/** Runs `work` with a signal the first Ctrl-C aborts (saying `message`, when given, on stderr). */
export async function interruptible<T>(io: Io, message: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = io.onInterrupt(() => {
    if (controller.signal.aborted) io.leave(EXIT.interrupted);
    if (message) io.stderr(`\n${message}\n`);
    controller.abort();
  });
  try {
    return await work(controller.signal);
  } finally {
    stop();
  }
}
