// Reading what the user names on the command line: a file (a missing or unreadable one is a usage error in one line),
// or "-" for standard input.

import { readFileSync } from 'node:fs';
import { UsageError } from '../shared/util/errors.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? 'cannot read'}`);
  }
}

/** Each file's text under its name ("stdin" for -). */
export async function readInputs(files: string[]): Promise<Array<{ name: string; text: string }>> {
  const read: Array<{ name: string; text: string }> = [];
  for (const file of files) read.push({ name: file === '-' ? 'stdin' : file, text: file === '-' ? await readStdin() : readFile(file) });
  return read;
}
