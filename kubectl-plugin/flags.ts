// The CLI's words for the core's inputs: a field is a flag named after it in kebab case (keySpaceSize is
// --key-space-size), declared from the core's description of it (InputSpec); values come out of commander as typed,
// and the core checks them. Also the one output-format flag every command has.

import { Option, type Command } from 'commander';
import { choice, errorInWords, type Field, type InputSpec, sayInWords } from '../shared/entry/index.ts';

/** What commander hands an action: the options by camelCase name, and the positional arguments. */
export interface Raw {
  opts: Record<string, unknown>;
  args: unknown[];
}

const SHORT: Partial<Record<Field, string>> = { output: 'o', namespace: 'n', yes: 'y' };
const ARGUMENTS: Partial<Record<Field, string>> = { workload: 'workload', files: 'files' };
const long = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flag (or argument) a field is given with. */
function flagWord(field: Field): string {
  const short = SHORT[field];
  return ARGUMENTS[field] ?? `${short ? `-${short}/` : ''}--${long(field)}`;
}

/** A core message in the CLI's words. */
export function say(message: string, field?: Field): string {
  return sayInWords(message, flagWord, field);
}

/** An error in one line, in the CLI's words. */
export function sayError(error: unknown): string {
  return errorInWords(error, flagWord);
}

/** Declares the inputs as flags, each with the core's words for it and its default. */
export function declare(command: Command, inputs: ReadonlyArray<InputSpec<string>>): Command {
  for (const spec of inputs) {
    const short = SHORT[spec.name as Field];
    const flags = `${short ? `-${short}, ` : ''}--${spec.onByDefault ? 'no-' : ''}${long(spec.name)}${spec.value ? ` <${spec.value}>` : ''}`;
    const option = new Option(flags, `${say(spec.help)}${spec.default !== undefined ? ` (default ${spec.default})` : ''}`);
    command.addOption(spec.repeatable ? option.argParser((value: string, previous: string[] = []) => [...previous, value]) : option);
  }
  return command;
}

/** The inputs' values as given (undefined where not given: the core fills in its defaults). */
export function values<T>(raw: Raw, inputs: ReadonlyArray<InputSpec<string>>): T {
  return Object.fromEntries(inputs.map((spec) => [spec.name, raw.opts[spec.name]])) as T;
}

export const text = (raw: Raw, key: string): string | undefined => (typeof raw.opts[key] === 'string' ? raw.opts[key] as string : undefined);
export const flag = (raw: Raw, key: string): boolean => raw.opts[key] === true;

export const DATA_FORMATS = ['table', 'json', 'yaml'] as const;
export const REPORT_LIKE_FORMATS = ['table', 'json', 'yaml', 'markdown'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];
export type ReportLikeFormat = (typeof REPORT_LIKE_FORMATS)[number];

export function withOutput(command: Command, allowed: readonly string[]): Command {
  return command.option('-o, --output <format>', allowed.join(', '), allowed[0]);
}

/** -o/--output, one of `allowed` ("md" is markdown). */
export function output<T extends string>(raw: Raw, allowed: readonly T[], what = 'format'): T {
  const given = text(raw, 'output') ?? (allowed[0] as T);
  return choice(given === 'md' ? 'markdown' : given, allowed, 'output', what);
}
