import type { Logger } from '../built-ins.js';

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;

export interface ShutdownWait {
  /** Resolves with the signal that asked for the stop, or undefined for `shutdown()`. */
  readonly reason: Promise<StopSignal | undefined>;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * Waits for SIGINT/SIGTERM or a `shutdown()` call (registered in `listeners`). The first
 * signal asks for a graceful stop; a second one means the operator is done waiting, so the
 * process exits at once with 128 + the signal's number, as a shell would report it.
 */
export function waitForShutdown(listeners: Set<() => void>, logger: Logger): ShutdownWait {
  let resolveReason: (reason: StopSignal | undefined) => void = () => {};
  const reason = new Promise<StopSignal | undefined>((resolve) => {
    resolveReason = resolve;
  });
  let asked = false;
  const onShutdown = (): void => {
    asked = true;
    resolveReason(undefined);
  };
  const onSignal = (signal: StopSignal): void => {
    if (asked) {
      logger.warn({ signal }, 'second signal: exiting now without finishing the stop');
      process.exit(128 + SIGNAL_NUMBERS[signal]);
    }
    asked = true;
    resolveReason(signal);
  };
  listeners.add(onShutdown);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Signal handlers do not keep Node's event loop alive: an app with no open socket would
  // exit (code 13, unsettled top-level await) instead of waiting. Hold a referenced timer.
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
  return {
    reason,
    dispose(): void {
      clearInterval(keepAlive);
      listeners.delete(onShutdown);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
