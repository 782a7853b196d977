/** What {@link settleWithin} resolves to: the promise's value, or why the wait was given up. */
export type Settlement<T> = { readonly settled: true; readonly value: T } | { readonly settled: false; readonly reason: unknown };

const ignore = (): void => {};

/**
 * Waits for `promise`, but no longer than until `signal` aborts: `{ settled: true, value }` when
 * the promise fulfilled first, `{ settled: false, reason }` (the signal's reason) when the signal
 * aborted first or already had. Rejects when the promise rejected first.
 *
 * It sets no timer of its own: the time limit is whoever aborts `signal`. That matters for
 * the process's life: a signal aborted by a referenced timer (core's hook runner, exec's
 * shutdown budget) keeps Node alive while it waits, `AbortSignal.timeout()` does not.
 * Once the wait is given up, the promise is left to run: its later value or rejection is
 * ignored here (watch it yourself if it matters, as the hook runner does for late hooks).
 * May be called at any time; never blocks.
 */
export function settleWithin<T>(promise: PromiseLike<T>, signal: AbortSignal): Promise<Settlement<T>> {
  const work = Promise.resolve(promise);
  if (signal.aborted) {
    work.then(ignore, ignore);
    return Promise.resolve({ settled: false, reason: signal.reason as unknown });
  }
  return new Promise<Settlement<T>>((resolve, reject) => {
    const onAbort = (): void => resolve({ settled: false, reason: signal.reason as unknown });
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ settled: true, value });
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // The promise's own rejection, passed on as it is.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      },
    );
  });
}
