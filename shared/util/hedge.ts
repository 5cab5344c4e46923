// Hedged requests: ask one source, and the next only if it fails or is slow. For cluster-wide answers (the member
// list, alarms) that any member can give: one request in the common case, no waiting out a dead member's timeout.

/**
 * Starts attempts[0]; starts the next one when the running ones have all failed, or after `hedgeMs` without an answer.
 * Resolves with the first success (and its index); rejects with every failure when all fail.
 */
export function firstSuccessful<T>(attempts: Array<() => Promise<T>>, hedgeMs: number): Promise<{ value: T; index: number }> {
  return new Promise((resolve, reject) => {
    const errors: unknown[] = new Array(attempts.length);
    let started = 0;
    let failed = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const startNext = (): void => {
      if (settled || started >= attempts.length) return;
      const index = started;
      started += 1;
      clearTimeout(timer);
      timer = setTimeout(startNext, hedgeMs);
      (attempts[index] as () => Promise<T>)().then((value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ value, index });
      }, (error: unknown) => {
        errors[index] = error;
        failed += 1;
        if (failed === attempts.length) {
          settled = true;
          clearTimeout(timer);
          reject(new AggregateError(errors, 'every attempt failed'));
        } else if (failed === started) {
          startNext();
        }
      });
    };
    if (attempts.length === 0) reject(new AggregateError([], 'nothing to try'));
    else startNext();
  });
}
