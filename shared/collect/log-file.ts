// A log file as the logs command and check --log read it: its text under its path. A rotated log the kubelet or
// logrotate compressed (0.log.20240101-000000.gz, etcd.log.1.gz) is read through gzip.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../util/errors.ts';
import type { LogSource } from './etcd-log.ts';

const GZIP_MAGIC = [0x1f, 0x8b];

/** A missing, unreadable or too large file is a usage error in one line. */
export function readLogFile(path: string): LogSource {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? 'cannot read'}`);
  }
  try {
    const text = (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? gunzipSync(bytes) : bytes).toString('utf8');
    return { name: path, text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_STRING_TOO_LONG' || code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UsageError(`${path}: too large to read at once: give its last part (tail -c 400M ${path} | kubectl etcd-perf logs -)`);
    }
    throw new UsageError(`${path}: not a gzip file it claims to be (${(error as Error).message})`);
  }
}
