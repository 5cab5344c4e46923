// What a command is to main.ts: where it sits (a parent such as `bench`), how it is declared to commander (arguments,
// flags, help), a pure parse of what commander read into its typed flags, and a run that returns the exit code.

import type { Command } from 'commander';
import type { Raw } from './flags.ts';
import type { Io } from './io.ts';

export interface CommandSpec<Flags> {
  /** The parent command and what it is for, for `bench disk`, `snapshot save`. */
  parent?: { name: string; description: string };
  /** The name with its arguments, commander style: 'save <file>', 'load [workload]'. */
  name: string;
  declare(command: Command): Command;
  parse(raw: Raw): Flags;
  run(flags: Flags, io: Io): Promise<number>;
}

/** Keeps each command's flags type while main.ts holds them in one list. */
export function command<Flags>(spec: CommandSpec<Flags>): CommandSpec<unknown> {
  return spec as CommandSpec<unknown>;
}
