import type { HookError } from '../errors.js';

/**
 * How a stop's one budget is shared between its hooks.
 *
 * A hook's **share** is its own `stopTimeoutMs` (a stage's key, such as
 * `forwarder_stop_timeout`), capped by what is left of the budget minus a reserve for the hooks
 * that stop after it; a hook without a limit of its own gets all of that. The reserve is the
 * sum of the later hooks' claims, their own limits plus the grace (in parallel stop: the
 * longest chain of them below the hook), but never more than half of what is left, so no hook is starved by promises to
 * others. Why a reserve: data flows to the hooks stopped last (the forwarder sends what the
 * stages before it handed over), so a stage that hangs early must not eat their time; why
 * at most half: with the default keys the later hooks' limits add up to more than the budget,
 * and the first stages (the listeners' drain) must still run.
 *
 * A hook is told, then given up on. Its signal aborts at its own limit (the stage's key means
 * what it says: the forwarder may send for `forwarder_stop_timeout`), and the hook then has a
 * grace to settle: the time a stage needs once told to stop, to count and log what it drops
 * and close its sockets. A hook that settles within the grace was cut short, not hung. When
 * the budget is what bounds the hook, the grace comes out of its share instead: the signal
 * aborts a grace before the room left ends, and the hook is given up on when it ends.
 */
export interface StopShare {
  /** From the hook's call until its signal aborts. */
  readonly abortAfterMs: number;
  /** From the hook's call until it is given up on. */
  readonly giveUpAfterMs: number;
  /** What set the abort: the hook's own limit, or the stop budget. */
  readonly limitedBy: 'own' | 'budget';
}

/** How long a hook has, once its signal aborted, to settle before it is given up on. */
export const STOP_GRACE_MAX_MS = 100;
/** Out of a share the budget bounds, the grace is at most this fraction of it (a 200 ms share aborts at 150 ms). */
const STOP_GRACE_FRACTION = 0.25;

/**
 * What a hook with an own limit claims on the budget from the hooks before it: its limit and
 * the grace after it. A hook without one claims nothing: it takes what is left when it comes.
 */
export function stopClaimMs(ownMs: number | undefined): number {
  return ownMs === undefined ? 0 : ownMs + STOP_GRACE_MAX_MS;
}

/** A hook's share of a stop; see {@link StopShare}. All values in ms, `ownMs` undefined when it has no own limit. */
export function stopShare(ownMs: number | undefined, leftMs: number, laterClaimsMs: number): StopShare {
  const left = Math.max(0, leftMs);
  const room = left - Math.min(laterClaimsMs, left / 2);
  const budgetAbortMs = room - Math.min(STOP_GRACE_MAX_MS, room * STOP_GRACE_FRACTION);
  if (ownMs !== undefined && ownMs <= budgetAbortMs) {
    return { abortAfterMs: ownMs, giveUpAfterMs: Math.min(ownMs + STOP_GRACE_MAX_MS, room), limitedBy: 'own' };
  }
  return { abortAfterMs: budgetAbortMs, giveUpAfterMs: room, limitedBy: 'budget' };
}

/** How one component's stop went. */
export type StageOutcome =
  /** Its hook settled before its signal aborted (or it has no stop hook). */
  | 'done'
  /** Its signal aborted, then its hook settled: it gave up what it still held, counted in its telemetry. */
  | 'cut'
  /** Its hook had not settled when its share ended: given up on, it may still be running. */
  | 'unfinished'
  /** Its hook threw or rejected. */
  | 'failed';

/** One component of a stop, as {@link StopResult} reports it. */
export interface StageStop {
  readonly component: string;
  readonly outcome: StageOutcome;
  /** False for a component without a stop hook (it is listed for its telemetry). */
  readonly hasHook: boolean;
  /** From its hook's call until it settled or was given up on; 0 without a hook. */
  readonly durationMs: number;
  /** Its share: from its hook's call until its signal aborted, as computed at the call; 0 without a hook. */
  readonly shareMs: number;
  /** What bounded its share (see {@link StopShare}). */
  readonly limitedBy: 'own' | 'budget';
  /**
   * Its non-zero pending gauges (`pendingGauges`): read when its signal aborted, before it
   * could count them as dropped, for a stage whose time ran out; otherwise once its hook settled.
   */
  readonly pending: Readonly<Record<string, number>>;
}

/**
 * What `app.stop()` resolves to (and a StopError carries): how each component that had
 * started stopped, in stop order, and the names of those that did not finish.
 */
export interface StopResult {
  /** The budget this stop had. */
  readonly budgetMs: number;
  readonly durationMs: number;
  /** Every started component with a stop hook or telemetry, in the order they were stopped. */
  readonly stages: readonly StageStop[];
  /** Hooks that had not settled when their share ended, by name. */
  readonly unfinished: readonly string[];
  /** Hooks that were cut short (their signal aborted, then they settled), by name. */
  readonly cut: readonly string[];
  /** Hooks that threw or rejected, by name. */
  readonly failed: readonly string[];
  /** One HookError per unfinished or failed hook. */
  readonly errors: readonly HookError[];
}

/** Options of `app.stop()`. */
export interface StopOptions {
  /** The budget of this stop: every hook ends within it. Defaults to the app's `stopTimeoutMs`. */
  readonly timeoutMs?: number;
}

/** Assembles a StopResult from the stages of one stop, in stop order. */
export function stopResultOf(budgetMs: number, durationMs: number, stages: readonly StageStop[], errors: readonly HookError[]): StopResult {
  const named = (outcome: StageOutcome): string[] => stages.filter((s) => s.outcome === outcome).map((s) => s.component);
  return { budgetMs, durationMs, stages, unfinished: named('unfinished'), cut: named('cut'), failed: named('failed'), errors };
}
