// Where a generated document goes: stdout, or --out FILE written whole (a temporary file renamed into place, so an
// interrupted run never leaves half a file), with one line on stderr saying where.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { describeError, UsageError } from '../shared/util/errors.ts';
import type { Io } from './io.ts';

export function writeOutput(io: Io, text: string, out: unknown, what: string): void {
  if (out === undefined || out === '-') {
    io.stdout(text);
    return;
  }
  const file = String(out);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(`--out ${file}: ${describeError(error)}`);
  }
  io.stderr(`wrote ${what} to ${file}\n`);
}
