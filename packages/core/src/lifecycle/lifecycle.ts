import type { HookError } from '../errors.js';
import { isTelemetrySource } from '../telemetry/telemetry.js';
import { elapsedSince, runHook, type HookLimits, type HookRun, type HookRunnerOptions, type LifecycleComponent } from './hook-runner.js';
import { stopClaimMs, stopResultOf, stopShare, type StageStop, type StopResult } from './stop-budget.js';
import { monotonicNowMs } from '../time/monotonic-clock.js';

export interface LifecycleOptions extends HookRunnerOptions {
  readonly startTimeoutMs: number;
  /** The default budget of a stop (a rollback gets a fresh one). */
  readonly stopTimeoutMs: number;
  /** Start each component as soon as its dependencies have started; stop mirrors it. */
  readonly parallel: boolean;
  /**
   * Called once, during the start, when every component marked `ready` has started (not when
   * none is: the start's end is then the ready point). Later failures still roll back the start.
   */
  readonly onReady?: () => void;
}

/** One stop's clock: its budget, its deadline, how to name it. */
interface StopClock {
  readonly budgetMs: number;
  readonly deadline: number;
}

/**
 * Starts components in dependency order and stops, in reverse, only those that started.
 * A failed start rolls back with a fresh stop budget. Stop keeps going past errors and
 * returns them all; it has one budget, shared between the hooks as `stopShare` says.
 * `components` must already be in a valid start order.
 */
export class Lifecycle {
  readonly #components: readonly LifecycleComponent[];
  readonly #options: LifecycleOptions;
  /** Components whose start succeeded, in the order they finished starting. */
  #started: LifecycleComponent[] = [];
  /** Components marked `ready` not started yet. */
  #readyLeft: number;

  public constructor(components: readonly LifecycleComponent[], options: LifecycleOptions) {
    this.#components = components;
    this.#options = options;
    this.#readyLeft = components.filter((c) => c.ready === true).length;
  }

  /** Resolves when all started; on failure, rolls back and rejects with the first HookError. */
  public async start(): Promise<void> {
    const deadline = monotonicNowMs() + this.#options.startTimeoutMs;
    const failures = this.#options.parallel ? await this.#startParallel(deadline) : await this.#startInOrder(deadline);
    const first = failures[0];
    if (first === undefined) return;
    this.#options.emit({ type: 'rolling-back', component: first.component, phase: 'start', durationMs: first.elapsedMs });
    this.#options.logger.error({ err: first }, `start failed; stopping the ${this.#started.length} component(s) that started`);
    first.rollbackErrors = [...failures.slice(1), ...(await this.stop()).errors];
    throw first;
  }

  /** Stops what started, once, within `budgetMs`; resolves to how each stage stopped (never rejects). */
  public async stop(budgetMs: number = this.#options.stopTimeoutMs): Promise<StopResult> {
    const started = this.#started;
    this.#started = [];
    const startedAt = monotonicNowMs();
    const clock: StopClock = { budgetMs, deadline: startedAt + budgetMs };
    const runs = this.#options.parallel ? await this.#stopParallel(started, clock) : await this.#stopInOrder(started, clock);
    const stages: StageStop[] = [];
    const errors: HookError[] = [];
    for (const { component, run, shareMs, limitedBy } of runs) {
      if (run.error !== undefined) errors.push(run.error);
      if (!run.hasHook && !isTelemetrySource(component.instance)) continue;
      stages.push({ component: component.name, outcome: run.outcome, hasHook: run.hasHook, durationMs: run.durationMs, shareMs: run.hasHook ? shareMs : 0, limitedBy, pending: run.pending });
    }
    return stopResultOf(budgetMs, elapsedSince(startedAt), stages, errors);
  }

  /** A start hook's limit: its own, or what is left of the start budget if that is less. */
  #startLimits(component: LifecycleComponent, deadline: number): HookLimits {
    const leftMs = deadline - monotonicNowMs();
    const own = component.startTimeoutMs;
    const ownIsTighter = own !== undefined && own <= leftMs;
    const limitMs = ownIsTighter ? own : leftMs;
    const label = ownIsTighter ? `its startTimeoutMs of ${own} ms` : `the app's start timeout of ${this.#options.startTimeoutMs} ms`;
    return { abortAfterMs: limitMs, giveUpAfterMs: limitMs, label };
  }

  /**
   * Runs one stop hook with its share of what is left (`laterOwnMs`: what the hooks after it
   * claim). Past the deadline a hook is still called, with no time left: its
   * signal aborts at the next turn of the event loop, so synchronous cleanup (closing a
   * socket) still happens, anything awaited is abandoned.
   */
  async #stopOne(component: LifecycleComponent, clock: StopClock, laterOwnMs: number): Promise<StopRun> {
    const share = stopShare(component.stopTimeoutMs, clock.deadline - monotonicNowMs(), laterOwnMs);
    const label =
      share.limitedBy === 'own'
        ? `its stopTimeoutMs of ${component.stopTimeoutMs} ms`
        : `its share, ${Math.round(share.giveUpAfterMs)} ms, of the app's stop budget of ${clock.budgetMs} ms`;
    // The share reported is when its signal aborted: the time the stage had for its work.
    const run = await runHook(component, 'stop', { abortAfterMs: share.abortAfterMs, giveUpAfterMs: share.giveUpAfterMs, label }, this.#options);
    return { component, run, shareMs: Math.round(share.abortAfterMs), limitedBy: share.limitedBy };
  }

  #markStarted(component: LifecycleComponent): void {
    this.#started.push(component);
    if (component.ready === true && --this.#readyLeft === 0) this.#options.onReady?.();
  }

  async #startInOrder(deadline: number): Promise<HookError[]> {
    for (const component of this.#components) {
      const { error } = await runHook(component, 'start', this.#startLimits(component, deadline), this.#options);
      if (error !== undefined) return [error];
      this.#markStarted(component);
    }
    return [];
  }

  async #stopInOrder(started: readonly LifecycleComponent[], clock: StopClock): Promise<StopRun[]> {
    const order = [...started].reverse();
    // What the hooks after each one claim: the sum of their claims.
    let laterOwnMs = order.reduce((sum, c) => sum + ownStopMs(c), 0);
    const runs: StopRun[] = [];
    for (const component of order) {
      laterOwnMs -= ownStopMs(component);
      runs.push(await this.#stopOne(component, clock, laterOwnMs));
    }
    return runs;
  }

  async #startParallel(deadline: number): Promise<HookError[]> {
    const failures: HookError[] = [];
    const byName = new Map(this.#components.map((c) => [c.name, c]));
    const running = new Map<string, Promise<boolean>>();
    const startOne = (component: LifecycleComponent): Promise<boolean> => {
      let promise = running.get(component.name);
      if (promise === undefined) {
        promise = Promise.all(component.deps.map((dep) => startOne(byName.get(dep) as LifecycleComponent))).then(async (depsOk) => {
          if (!depsOk.every(Boolean) || failures.length > 0) return false;
          const { error } = await runHook(component, 'start', this.#startLimits(component, deadline), this.#options);
          if (error !== undefined) {
            failures.push(error);
            return false;
          }
          this.#markStarted(component);
          return true;
        });
        running.set(component.name, promise);
      }
      return promise;
    };
    await Promise.all(this.#components.map(startOne));
    return failures;
  }

  async #stopParallel(started: readonly LifecycleComponent[], clock: StopClock): Promise<StopRun[]> {
    const runs: StopRun[] = [];
    const byName = new Map(started.map((c) => [c.name, c]));
    const dependents = new Map<string, LifecycleComponent[]>();
    for (const component of started) {
      for (const dep of component.deps) dependents.set(dep, [...(dependents.get(dep) ?? []), component]);
    }
    // What the hooks after each one claim: the longest chain of claims below it (its
    // dependencies stop after it; other branches stop beside it, in their own time).
    const chains = new Map<string, number>();
    const chainBelow = (component: LifecycleComponent): number => {
      let chain = chains.get(component.name);
      if (chain === undefined) {
        chain = 0;
        for (const dep of component.deps) {
          const below = byName.get(dep);
          if (below !== undefined) chain = Math.max(chain, ownStopMs(below) + chainBelow(below));
        }
        chains.set(component.name, chain);
      }
      return chain;
    };
    const stopping = new Map<string, Promise<void>>();
    const stopOne = (component: LifecycleComponent): Promise<void> => {
      let promise = stopping.get(component.name);
      if (promise === undefined) {
        promise = Promise.all((dependents.get(component.name) ?? []).map(stopOne)).then(async () => {
          runs.push(await this.#stopOne(component, clock, chainBelow(component)));
        });
        stopping.set(component.name, promise);
      }
      return promise;
    };
    await Promise.all(started.map(stopOne));
    return runs;
  }
}

interface StopRun {
  readonly component: LifecycleComponent;
  readonly run: HookRun;
  readonly shareMs: number;
  readonly limitedBy: 'own' | 'budget';
}

/** A component's claim on the stop budget (see `stopClaimMs`). */
function ownStopMs(component: LifecycleComponent): number {
  return stopClaimMs(component.stopTimeoutMs);
}
