// The log files named on the command line, "-" being standard input.

import { readLogFile, type LogSource } from '../shared/entry/index.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Each file's text under its name ("stdin" for -). */
export async function readInputs(files: string[]): Promise<LogSource[]> {
  const read: LogSource[] = [];
  for (const file of files) read.push(file === '-' ? { name: 'stdin', text: await readStdin() } : readLogFile(file));
  return read;
}
