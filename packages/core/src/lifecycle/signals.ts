import type { Logger } from '../built-ins.js';
import { monotonicNowMs } from '../time/monotonic-clock.js';

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;

/**
 * How long after the first stop signal the same signal again is taken as an echo of it, not as
 * a second request. Under `npm start` (pnpm and yarn do the same) one Ctrl-C arrives twice: the
 * terminal signals the whole foreground process group, the agent included, and npm forwards the
 * SIGINT it got to its child a few milliseconds later. Telling them apart needs the sender, which
 * Node does not give; an operator who means "stop waiting" presses again well after this.
 */
export const SIGNAL_ECHO_WINDOW_MS = 1000;

export interface ShutdownWait {
  /** Resolves with the signal that asked for the stop, or undefined for `shutdown()`. */
  readonly reason: Promise<StopSignal | undefined>;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * Waits for SIGINT/SIGTERM or a `shutdown()` call (registered in `listeners`). The first
 * signal asks for a graceful stop; a second one means the operator is done waiting, so the
 * process exits at once with 128 + the signal's number, as a shell would report it. The first
 * signal repeated within {@link SIGNAL_ECHO_WINDOW_MS} is the same request, logged and ignored.
 */
export function waitForShutdown(listeners: Set<() => void>, logger: Logger): ShutdownWait {
  let resolveReason: (reason: StopSignal | undefined) => void = () => {};
  const reason = new Promise<StopSignal | undefined>((resolve) => {
    resolveReason = resolve;
  });
  let asked = false;
  let first: { signal: StopSignal; atMs: number } | undefined;
  const onShutdown = (): void => {
    asked = true;
    resolveReason(undefined);
  };
  const onSignal = (signal: StopSignal): void => {
    const nowMs = monotonicNowMs();
    if (first !== undefined && first.signal === signal && nowMs - first.atMs < SIGNAL_ECHO_WINDOW_MS) {
      logger.info({ signal }, `${signal} again within ${SIGNAL_ECHO_WINDOW_MS} ms: taken as the same stop request (npm echoes a Ctrl-C)`);
      return;
    }
    if (asked) {
      logger.warn({ signal }, 'second signal: exiting now without finishing the stop');
      process.exit(128 + SIGNAL_NUMBERS[signal]);
    }
    asked = true;
    first = { signal, atMs: nowMs };
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
