// kubectl etcd-perf: parse the command line, run one command, map every failure to an exit code and one line.

import { Command, CommanderError } from 'commander';
import { describeError, UnreachableError, UsageError } from '../shared/util/errors.ts';
import { registerAlerts } from './commands/alerts.ts';
import { registerBench } from './commands/bench.ts';
import { registerKeyspace } from './commands/keyspace.ts';
import { registerLogs } from './commands/logs.ts';
import { registerCheck } from './commands/check.ts';
import { registerDashboard } from './commands/dashboard.ts';
import { registerWatch } from './commands/watch.ts';
import { registerCompact } from './commands/compact.ts';
import { registerMaintain } from './commands/maintain.ts';
import { registerSnapshot } from './commands/snapshot.ts';
import { EXIT } from './exit.ts';
import { processIo, type Io } from './io.ts';

export const VERSION = '0.1.0';

export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('kubectl etcd-perf')
    .description('Find out why an etcd cluster is slow, and fix what can be fixed safely.')
    .version(VERSION, '--version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(text.trimEnd().split('\n')[0] + '\n'),
    });
  program.configureHelp({ helpWidth: Math.min(io.columns, 100) });
  const done = (exit: number): void => { code = exit; };
  registerCheck(program, io, done);
  registerCompact(program, io, done);
  registerMaintain(program, io, done);
  registerSnapshot(program, io, done);
  registerAlerts(program, io, done);
  registerDashboard(program, io, done);
  registerWatch(program, io, done);
  registerBench(program, io, done);
  registerKeyspace(program, io, done);
  registerLogs(program, io, done);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof UnreachableError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.unreachable;
    }
    io.stderr(`error: ${describeError(error)}\n`);
    if (io.env.ETCD_PERF_DEBUG) io.stderr(`${(error as Error).stack ?? ''}\n`);
    return EXIT.usage;
  }
}
