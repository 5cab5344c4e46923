// What the CLI touches of the process: output streams, terminal facts, environment, Ctrl-C (one way for every long
// command: the first aborts the core's signal and the command finishes with what it has; a second leaves at once).

import { createInterface } from 'node:readline/promises';

/** The plugin's exit codes, the same for every command. */
export const EXIT = { ok: 0, findings: 1, usage: 2, unreachable: 3, interrupted: 130 } as const;

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  columns: number;
  env: NodeJS.ProcessEnv;
  stdinIsTty: boolean;
  /** Asks a question on the terminal and returns the answer. */
  ask(question: string): Promise<string>;
  /** Calls `listener` with each key pressed (raw mode), when stdin is a terminal; returns how to stop listening. */
  onKey?(listener: (key: string) => void): () => void;
  /** Calls `listener` on Ctrl-C (SIGINT) and SIGTERM; returns how to stop listening. */
  onInterrupt(listener: () => void): () => void;
  /** Leaves at once, with this code (a second Ctrl-C). */
  leave(code: number): never;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    columns: process.stdout.columns || 80,
    env: process.env,
    stdinIsTty: process.stdin.isTTY === true,
    onKey: (listener) => {
      if (!process.stdin.isTTY) return () => undefined;
      const onData = (data: Buffer): void => { listener(data.toString('utf8')); };
      process.stdin.setRawMode(true);
      process.stdin.on('data', onData);
      process.stdin.resume();
      return () => {
        process.stdin.off('data', onData);
        process.stdin.setRawMode(false);
        process.stdin.pause();
      };
    },
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
    leave: (code) => process.exit(code),
    ask: async (question) => {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
  };
}

/** Runs `work` with a signal the first Ctrl-C aborts (saying `message`, when given, on stderr); a second leaves at once. */
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
