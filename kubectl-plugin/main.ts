// kubectl etcd-perf: parse the command line, run one command, and turn every outcome into an exit code and, on
// failure, one line in the CLI's words. The one place an error becomes an exit code.

import { Command, CommanderError } from 'commander';
import { RefusedError, UnreachableError, UsageError } from '../shared/entry/index.ts';
import { alerts } from './commands/alerts.ts';
import { benchDisk } from './commands/bench-disk.ts';
import { benchLoad } from './commands/bench-load.ts';
import { check } from './commands/check.ts';
import { compact } from './commands/compact.ts';
import { dashboard } from './commands/dashboard.ts';
import { defrag } from './commands/defrag.ts';
import { install } from './commands/install.ts';
import { keyspace } from './commands/keyspace.ts';
import { logs } from './commands/logs.ts';
import { maintain } from './commands/maintain.ts';
import { report } from './commands/report.ts';
import { snapshotSave } from './commands/snapshot.ts';
import { status } from './commands/status.ts';
import { serve } from './commands/serve.ts';
import { watch } from './commands/watch.ts';
import type { CommandSpec } from './command.ts';
import { sayError } from './flags.ts';
import { EXIT, processIo, type Io } from './io.ts';
import { VERSION } from './version.ts';


const COMMANDS: ReadonlyArray<CommandSpec<unknown>> = [
  check, report, status, compact, maintain, defrag, snapshotSave, alerts, dashboard, watch, benchDisk, benchLoad, keyspace, logs, serve, install,
];

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
  const parents = new Map<string, Command>();
  for (const spec of COMMANDS) {
    let parent = program;
    if (spec.parent) {
      parent = parents.get(spec.parent.name) ?? program.command(spec.parent.name).description(spec.parent.description);
      parents.set(spec.parent.name, parent);
    }
    spec.declare(parent.command(spec.name)).action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      code = await spec.run(spec.parse({ opts: command.opts(), args: args.slice(0, -2) }), io);
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return ['commander.helpDisplayed', 'commander.version', 'commander.help', 'commander.executeSubCommandAsync'].includes(error.code) ? EXIT.ok : EXIT.usage;
    }
    io.stderr(`error: ${sayError(error)}\n`);
    if (error instanceof UsageError) return EXIT.usage;
    if (error instanceof RefusedError) return EXIT.findings;
    if (error instanceof UnreachableError) return EXIT.unreachable;
    if (io.env.ETCD_PERF_DEBUG) io.stderr(`${(error as Error).stack ?? ''}\n`);
    return EXIT.usage;
  }
}
