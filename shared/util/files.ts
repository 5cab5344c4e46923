// Files written whole or not at all: the text goes to a temporary file beside the target, which is then renamed over
// it, so a reader (or an interrupted run) never sees half a file.

import { renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeFileWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
