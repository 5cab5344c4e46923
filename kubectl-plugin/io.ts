// What the CLI touches of the process: output streams, terminal facts, environment. Tests pass their own.

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  columns: number;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    columns: process.stdout.columns || 80,
    env: process.env,
  };
}
