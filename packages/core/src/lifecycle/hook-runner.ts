import type { Logger } from '../built-ins.js';
import { isStartable, isStoppable } from '../component.js';
import { CoreErrorCode, HookError, describeError, type LifecyclePhase } from '../errors.js';

/** What the App tells `onEvent` about every hook it runs. */
export interface LifecycleEvent {
  /**
   * `executing`: the hook was called. `executed`: it settled or timed out (`error` set when it
   * failed). `late`: a hook that had timed out settled afterwards. `rolling-back`: a start
   * failed and the components that started are being stopped.
   */
  readonly type: 'executing' | 'executed' | 'late' | 'rolling-back';
  readonly component: string;
  readonly phase: LifecyclePhase;
  readonly durationMs: number;
  readonly error?: Error;
}

/** A constructed component as the lifecycle sees it. */
export interface LifecycleComponent {
  readonly name: string;
  readonly instance: unknown;
  /** Names of the components it injects (its dependencies inside this lifecycle). */
  readonly deps: readonly string[];
  readonly startTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

export interface HookRunnerOptions {
  readonly emit: (event: LifecycleEvent) => void;
  readonly logger: Logger;
}

// setTimeout treats anything above 2^31-1 ms as 1 ms; clamp so "effectively forever" stays so.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs one component's hook under a time limit: the smaller of its own timeout and what is
 * left of the app's budget. Never rejects: a failure or timeout comes back as a HookError.
 *
 * The timer is deliberately not unref'd: while a hook is pending it keeps the process alive,
 * so a hook awaiting a promise with no I/O behind it still times out instead of letting Node
 * exit mid-stop (exit code 13, unsettled top-level await).
 */
export async function runHook(
  component: LifecycleComponent,
  phase: 'start' | 'stop',
  appBudgetMs: number,
  appLimitLabel: string,
  { emit, logger }: HookRunnerOptions,
): Promise<HookError | undefined> {
  const has = phase === 'start' ? isStartable(component.instance) : isStoppable(component.instance);
  if (!has) return undefined;
  const own = phase === 'start' ? component.startTimeoutMs : component.stopTimeoutMs;
  const ownIsTighter = own !== undefined && own <= appBudgetMs;
  const limitMs = Math.max(0, Math.min(ownIsTighter ? own : appBudgetMs, MAX_TIMER_MS));
  const limitLabel = ownIsTighter ? `its ${phase}TimeoutMs of ${own} ms` : appLimitLabel;

  const controller = new AbortController();
  const startedAt = performance.now();
  emit({ type: 'executing', component: component.name, phase, durationMs: 0 });
  const work = callHook(component.instance, phase, controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limitMs);
  });
  const outcome = await Promise.race([work, timedOut]);
  clearTimeout(timer);
  const durationMs = elapsedSince(startedAt);

  let error: HookError | undefined;
  if (outcome === 'timeout') {
    error = new HookError(CoreErrorCode.HookTimeout, component.name, phase, durationMs, `timed out (${limitLabel})`);
    controller.abort(error);
    watchLateCompletion(work, component.name, phase, startedAt, { emit, logger });
  } else if (outcome.ok === false) {
    error = new HookError(CoreErrorCode.HookFailed, component.name, phase, durationMs, `failed: ${describeError(outcome.error)}`, {
      cause: outcome.error,
    });
  }
  logger.debug({ component: component.name, phase, durationMs, ok: error === undefined }, `${phase === 'start' ? 'onStart' : 'onStop'} done`);
  emit(
    error === undefined
      ? { type: 'executed', component: component.name, phase, durationMs }
      : { type: 'executed', component: component.name, phase, durationMs, error },
  );
  return error;
}

type HookOutcome = { ok: true } | { ok: false; error: unknown };

function callHook(instance: unknown, phase: 'start' | 'stop', signal: AbortSignal): Promise<HookOutcome> {
  try {
    const result =
      phase === 'start'
        ? (instance as { onStart(s: AbortSignal): unknown }).onStart(signal)
        : (instance as { onStop(s: AbortSignal): unknown }).onStop(signal);
    return Promise.resolve(result).then(
      (): HookOutcome => ({ ok: true }),
      (error: unknown): HookOutcome => ({ ok: false, error }),
    );
  } catch (error) {
    return Promise.resolve({ ok: false, error });
  }
}

function watchLateCompletion(
  work: Promise<HookOutcome>,
  component: string,
  phase: LifecyclePhase,
  startedAt: number,
  { emit, logger }: HookRunnerOptions,
): void {
  void work.then((outcome) => {
    const durationMs = elapsedSince(startedAt);
    const error = outcome.ok ? undefined : outcome.error instanceof Error ? outcome.error : new Error(describeError(outcome.error));
    logger.warn(
      { component, phase, durationMs, ...(error === undefined ? {} : { err: error }) },
      `${phase === 'start' ? 'onStart' : 'onStop'} of "${component}" settled after its timeout`,
    );
    emit(error === undefined ? { type: 'late', component, phase, durationMs } : { type: 'late', component, phase, durationMs, error });
  });
}

export function elapsedSince(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
