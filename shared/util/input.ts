// Values as users type them, checked once for every door: each parser names the field at fault in its usage error.

import { parseBytes } from './bytes.ts';
import { parseDuration } from './duration.ts';
import { input, UsageError, type Field } from './errors.ts';

/** A duration in milliseconds; `limit` rejects values it does not accept, saying why. */
export function duration(text: string, field: Field, limit?: { ok(ms: number): boolean; says: string }): number {
  const ms = parseDuration(text, field);
  if (limit && !limit.ok(ms)) throw new UsageError(limit.says, field);
  return ms;
}

/** A duration above zero. */
export function positiveDuration(text: string, field: Field): number {
  return duration(text, field, { ok: (ms) => ms > 0, says: `${input(field)} must be greater than 0` });
}

/** A whole number (digits only), at least `min`. */
export function count(text: string, field: Field, min = 0): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new UsageError(`expected a whole number, got "${text}"`, field);
  if (value < min) throw new UsageError(`at least ${min}`, field);
  return value;
}

/** A size in bytes (104857600, 100MiB, 1.5GB), at least `min`. */
export function bytes(text: string, field: Field, example = '100MiB', min = 0): number {
  const value = parseBytes(text);
  if (value === undefined || value < min) throw new UsageError(`expected a size such as ${example}, got "${text}"`, field);
  return value;
}

/** "a, b or c". */
export function oneOf(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] as string}` : words.join('');
}

/** One of `allowed` (`what` it is, for the error: "unknown format ..."). */
export function choice<T extends string>(text: string, allowed: readonly T[], field: Field, what = 'value'): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`unknown ${what} "${text}" (choose ${oneOf(allowed)})`, field);
}

/**
 * An input a user can give, described once in the core: each door declares it its own way (the CLI as a flag named
 * after `name` in kebab case, with `help` and `default` in --help).
 */
export interface InputSpec<K extends string = Field> {
  name: K;
  /** What it does, in a few words; may name other inputs as {field}. */
  help: string;
  /** What kind of value it takes, for help ("duration", "list", "file"); absent: a switch. */
  value?: string;
  default?: string;
  /** A switch that is on unless turned off (the CLI says --no-<name>). */
  onByDefault?: boolean;
  /** Given more than once, every value is kept, in order. */
  repeatable?: boolean;
}
