// A log file as the logs command and check --log read it: its text under its path.

import { readFileSync } from 'node:fs';
import { UsageError } from '../util/errors.ts';
import type { LogSource } from './etcd-log.ts';

/** A missing or unreadable file is a usage error in one line. */
export function readLogFile(path: string): LogSource {
  try {
    return { name: path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? 'cannot read'}`);
  }
}

