import { constants } from 'node:os';

/**
 * Signals `agentkit exec` does not forward, each for a reason:
 * - SIGKILL, SIGSTOP: cannot be caught (process.on throws EINVAL);
 * - SIGCHLD: it reports the wrapper's own child, it is not addressed to it (serverless-init skips it too);
 * - SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP: when real, the wrapper itself faulted; a handler
 *   that returns would re-run the faulting instruction forever instead of dying;
 * - SIGPIPE: the wrapper's own write to a closed pipe; Node ignores it, the child must not die of it;
 * - SIGPROF: V8's sampling profiler's timer signal in the wrapper (`--cpu-prof`).
 */
const NOT_FORWARDED: ReadonlySet<string> = new Set(['SIGKILL', 'SIGSTOP', 'SIGCHLD', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGTRAP', 'SIGPIPE', 'SIGPROF']);

/** The signals that begin the shutdown: the child is told, and the shutdown budget starts. */
export const TERMINATING_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set<NodeJS.Signals>(['SIGTERM', 'SIGINT']);

/**
 * Every signal of this platform that is forwarded, one name per number (SIGIOT is SIGABRT,
 * SIGPOLL is SIGIO: listening to both would forward each delivery twice).
 */
export function forwardableSignals(): NodeJS.Signals[] {
  const seen = new Set<number>();
  const out: NodeJS.Signals[] = [];
  for (const [name, number] of Object.entries(constants.signals) as [NodeJS.Signals, number][]) {
    if (NOT_FORWARDED.has(name) || seen.has(number)) continue;
    seen.add(number);
    out.push(name);
  }
  return out;
}

/** The exit code a shell reports for a process: its own code, or 128 + the number of the signal that killed it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : (constants.signals as Partial<Record<NodeJS.Signals, number>>)[signal];
  return number === undefined ? 1 : 128 + number;
}

/**
 * Listens to every forwardable signal (or only to those in `only`) and hands each delivery to
 * `onSignal`. Installing a listener replaces the default action (most would kill the wrapper):
 * from here on the wrapper decides what a signal means. Signals this platform refuses to watch
 * are skipped (Windows knows few). Returns the function that removes the listeners.
 */
export function catchSignals(onSignal: (signal: NodeJS.Signals) => void, only?: ReadonlySet<NodeJS.Signals>): () => void {
  const installed: [NodeJS.Signals, () => void][] = [];
  for (const signal of only ?? forwardableSignals()) {
    const listener = (): void => onSignal(signal);
    try {
      process.on(signal, listener);
      installed.push([signal, listener]);
    } catch {
      // Not catchable here (EINVAL); nothing to forward.
    }
  }
  return () => {
    for (const [signal, listener] of installed) process.off(signal, listener);
  };
}
