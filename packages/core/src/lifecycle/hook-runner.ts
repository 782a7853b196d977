import type { Logger } from '../built-ins.js';
import { isStartable, isStoppable } from '../component.js';
import { CoreErrorCode, HookError, describeError, type LifecyclePhase } from '../errors.js';
import { pendingOf } from '../telemetry/pending.js';
import { settleWithin } from './settle-within.js';
import type { StageOutcome } from './stop-budget.js';
import { monotonicNowMs } from '../time/monotonic-clock.js';

/** What the App tells `onEvent` about every hook it runs. */
export interface LifecycleEvent {
  /**
   * `executing`: the hook was called. `executed`: it settled or was given up on (`error` set
   * when it failed or timed out; a hook cut short, that settled once its signal aborted, has none). `late`: a hook that had timed out settled afterwards. `rolling-back`: a start
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
  /** Provided with `ready: true`: the lifecycle's `onReady` waits for its start. */
  readonly ready?: boolean;
}

export interface HookRunnerOptions {
  readonly emit: (event: LifecycleEvent) => void;
  readonly logger: Logger;
}

// setTimeout treats anything above 2^31-1 ms as 1 ms; clamp so "effectively forever" stays so.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When a hook's signal aborts and when it is given up on, from its call; and how to name that limit. */
export interface HookLimits {
  readonly abortAfterMs: number;
  /** Not before `abortAfterMs`; equal to it when the hook gets no grace (start hooks). */
  readonly giveUpAfterMs: number;
  /** Says what the limit is, for the error: "its stopTimeoutMs of 80 ms". */
  readonly label: string;
}

/** How one hook ran. */
export interface HookRun {
  readonly hasHook: boolean;
  readonly outcome: StageOutcome;
  readonly durationMs: number;
  /** Set when the outcome is 'unfinished' or 'failed'. */
  readonly error?: HookError;
  /** Its pending gauges: when its signal aborted if it did, else once it settled. */
  readonly pending: Readonly<Record<string, number>>;
}

/**
 * Runs one component's hook under its limits: its signal aborts after `abortAfterMs`, and
 * after `giveUpAfterMs` the hook is given up on (a HookError, HookTimeout). Never rejects: a
 * failure comes back as a HookError too. A hook that settles between the two was cut short:
 * not an error, its telemetry counts what it dropped.
 *
 * The timers are deliberately not unref'd: while a hook is pending they keep the process
 * alive, so a hook awaiting a promise with no I/O behind it still times out instead of
 * letting Node exit mid-stop (exit code 13, unsettled top-level await).
 */
export async function runHook(
  component: LifecycleComponent,
  phase: 'start' | 'stop',
  limits: HookLimits,
  { emit, logger }: HookRunnerOptions,
): Promise<HookRun> {
  const has = phase === 'start' ? isStartable(component.instance) : isStoppable(component.instance);
  if (!has) return { hasHook: false, outcome: 'done', durationMs: 0, pending: pendingOf(component.instance) };
  const abortAfterMs = clampTimer(limits.abortAfterMs);
  const giveUpAfterMs = Math.max(abortAfterMs, clampTimer(limits.giveUpAfterMs));

  const hookAbort = new AbortController();
  const giveUp = new AbortController();
  const startedAt = monotonicNowMs();
  let pendingAtAbort: Record<string, number> | undefined;
  const abortTimer = setTimeout(() => {
    // Read before the abort: once told, a stage counts what it holds as dropped and forgets it.
    pendingAtAbort = pendingOf(component.instance);
    hookAbort.abort(new HookError(CoreErrorCode.HookTimeout, component.name, phase, elapsedSince(startedAt), `ran out of time (${limits.label})`));
    if (giveUpAfterMs <= abortAfterMs) giveUp.abort();
  }, abortAfterMs);
  const giveUpTimer = giveUpAfterMs > abortAfterMs ? setTimeout(() => giveUp.abort(), giveUpAfterMs) : undefined;
  emit({ type: 'executing', component: component.name, phase, durationMs: 0 });
  const work = callHook(component.instance, phase, hookAbort.signal);
  const settlement = await settleWithin(work, giveUp.signal);
  clearTimeout(abortTimer);
  clearTimeout(giveUpTimer);
  const durationMs = elapsedSince(startedAt);

  let error: HookError | undefined;
  let outcome: StageOutcome = hookAbort.signal.aborted ? 'cut' : 'done';
  if (!settlement.settled) {
    outcome = 'unfinished';
    error = new HookError(CoreErrorCode.HookTimeout, component.name, phase, durationMs, `timed out (${limits.label})`);
    watchLateCompletion(work, component.name, phase, startedAt, { emit, logger });
  } else if (settlement.value.ok === false) {
    outcome = 'failed';
    error = new HookError(CoreErrorCode.HookFailed, component.name, phase, durationMs, `failed: ${describeError(settlement.value.error)}`, {
      cause: settlement.value.error,
    });
  }
  logger.debug({ component: component.name, phase, durationMs, outcome }, `${phase === 'start' ? 'onStart' : 'onStop'} done`);
  emit(
    error === undefined
      ? { type: 'executed', component: component.name, phase, durationMs }
      : { type: 'executed', component: component.name, phase, durationMs, error },
  );
  const pending = pendingAtAbort ?? pendingOf(component.instance);
  return error === undefined ? { hasHook: true, outcome, durationMs, pending } : { hasHook: true, outcome, durationMs, error, pending };
}

function clampTimer(ms: number): number {
  return Math.max(0, Math.min(ms, MAX_TIMER_MS));
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
  return Math.round(monotonicNowMs() - startedAt);
}
