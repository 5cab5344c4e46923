// What the CLI touches of the process: output streams, terminal facts, environment. Tests pass their own.

import { createInterface } from 'node:readline/promises';

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
