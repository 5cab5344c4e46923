// `compact`: physical compaction, finished on every member before we return.

import type { Command } from 'commander';
import { compact } from '../../shared/maintain/compact.ts';
import { renderData } from '../../shared/render/format.ts';
import { renderCompactText } from '../../shared/render/maintenance-text.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { addConnectionFlags, resolveConnection } from '../connection-flags.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { cliLogger } from '../logger.ts';

export function parseCount(text: unknown, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(String(text)) || !Number.isSafeInteger(value)) throw new UsageError(`${flag}: expected a whole number, got "${String(text)}"`);
  return value;
}

export function parseDataFormat(text: unknown): 'table' | 'json' | 'yaml' {
  if (text === 'table' || text === 'json' || text === 'yaml') return text;
  throw new UsageError(`-o/--output: unknown format "${String(text)}" (choose table, json or yaml)`);
}

export function registerCompact(program: Command, io: Io, done: (code: number) => void): void {
  addConnectionFlags(program.command('compact'))
    .description('compact the keyspace history (physical), and wait until every member has finished')
    .option('--revision <n>', 'compact up to this revision (default: the current revision)')
    .option('--keep-revisions <n>', 'keep this many most recent revisions')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText('after', `
Compaction removes old revisions; the space they took is reusable by etcd but the file only shrinks after a
defragmentation (kubectl etcd-perf maintain does both, safely).
Exit codes: 0 compacted (or nothing to do); 1 a member did not finish in time; 2 bad usage; 3 no member reachable.`)
    .action(async (options: Record<string, unknown>) => {
      const format = parseDataFormat(options.output);
      const connection = await resolveConnection(options, io.env, cliLogger(io));
      const result = await compact(connection, {
        revision: parseCount(options.revision, '--revision'),
        keepRevisions: parseCount(options.keepRevisions, '--keep-revisions'),
        logger: cliLogger(io),
      });
      io.stdout(format === 'table' ? renderCompactText(result, io.stdoutIsTty ? io.columns : 80) : renderData(result, format));
      done(result.members.some((m) => m.finished === false) ? EXIT.findings : EXIT.ok);
    });
}
