// The core names a user's inputs by field; a usage error is asserted as the CLI says it (--cacert, -o/--output).

import assert from 'node:assert/strict';
import { sayError } from '../../kubectl-plugin/flags.ts';
import { UsageError } from '../../shared/util/errors.ts';

/** The error's message in the CLI's words. */
export function inCliWords(error: unknown): string {
  return error instanceof UsageError ? sayError(error) : (error as Error).message;
}

/** `fn` throws a usage error that the CLI says as `expected` matches. */
export function throwsUsage(fn: () => unknown, expected: RegExp, message?: string): void {
  assert.throws(fn, (e: unknown) => e instanceof UsageError && expected.test(inCliWords(e)), message);
}
