import type { HookError } from '../errors.js';
import { runHook, type HookRunnerOptions, type LifecycleComponent } from './hook-runner.js';

export interface LifecycleOptions extends HookRunnerOptions {
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
  /** Start each component as soon as its dependencies have started; stop mirrors it. */
  readonly parallel: boolean;
}

/**
 * Starts components in dependency order and stops, in reverse, only those that started.
 * A failed start rolls back with a fresh stop budget. Stop keeps going past errors and
 * returns them all. `components` must already be in a valid start order.
 */
export class Lifecycle {
  readonly #components: readonly LifecycleComponent[];
  readonly #options: LifecycleOptions;
  /** Components whose start succeeded, in the order they finished starting. */
  #started: LifecycleComponent[] = [];

  public constructor(components: readonly LifecycleComponent[], options: LifecycleOptions) {
    this.#components = components;
    this.#options = options;
  }

  /** Resolves when all started; on failure, rolls back and rejects with the first HookError. */
  public async start(): Promise<void> {
    const deadline = performance.now() + this.#options.startTimeoutMs;
    const label = `the app's start timeout of ${this.#options.startTimeoutMs} ms`;
    const failures = this.#options.parallel ? await this.#startParallel(deadline, label) : await this.#startInOrder(deadline, label);
    const first = failures[0];
    if (first === undefined) return;
    this.#options.emit({ type: 'rolling-back', component: first.component, phase: 'start', durationMs: first.elapsedMs });
    this.#options.logger.error({ err: first }, `start failed; stopping the ${this.#started.length} component(s) that started`);
    first.rollbackErrors = [...failures.slice(1), ...(await this.stop())];
    throw first;
  }

  /** Stops what started, once; returns every hook error (empty when all went well). */
  public async stop(): Promise<HookError[]> {
    const started = this.#started;
    this.#started = [];
    const deadline = performance.now() + this.#options.stopTimeoutMs;
    const label = `the app's stop timeout of ${this.#options.stopTimeoutMs} ms`;
    return this.#options.parallel ? this.#stopParallel(started, deadline, label) : this.#stopInOrder(started, deadline, label);
  }

  async #startInOrder(deadline: number, label: string): Promise<HookError[]> {
    for (const component of this.#components) {
      const error = await runHook(component, 'start', deadline - performance.now(), label, this.#options);
      if (error !== undefined) return [error];
      this.#started.push(component);
    }
    return [];
  }

  async #stopInOrder(started: readonly LifecycleComponent[], deadline: number, label: string): Promise<HookError[]> {
    const errors: HookError[] = [];
    for (const component of [...started].reverse()) {
      // Past the deadline a hook is still called, with an aborted signal and no time left:
      // synchronous cleanup (closing a socket) still happens, anything awaited is abandoned.
      const error = await runHook(component, 'stop', deadline - performance.now(), label, this.#options);
      if (error !== undefined) errors.push(error);
    }
    return errors;
  }

  async #startParallel(deadline: number, label: string): Promise<HookError[]> {
    const failures: HookError[] = [];
    const byName = new Map(this.#components.map((c) => [c.name, c]));
    const running = new Map<string, Promise<boolean>>();
    const startOne = (component: LifecycleComponent): Promise<boolean> => {
      let promise = running.get(component.name);
      if (promise === undefined) {
        promise = Promise.all(component.deps.map((dep) => startOne(byName.get(dep) as LifecycleComponent))).then(async (depsOk) => {
          if (!depsOk.every(Boolean) || failures.length > 0) return false;
          const error = await runHook(component, 'start', deadline - performance.now(), label, this.#options);
          if (error !== undefined) {
            failures.push(error);
            return false;
          }
          this.#started.push(component);
          return true;
        });
        running.set(component.name, promise);
      }
      return promise;
    };
    await Promise.all(this.#components.map(startOne));
    return failures;
  }

  async #stopParallel(started: readonly LifecycleComponent[], deadline: number, label: string): Promise<HookError[]> {
    const errors: HookError[] = [];
    const dependents = new Map<string, LifecycleComponent[]>();
    for (const component of started) {
      for (const dep of component.deps) dependents.set(dep, [...(dependents.get(dep) ?? []), component]);
    }
    const stopping = new Map<string, Promise<void>>();
    const stopOne = (component: LifecycleComponent): Promise<void> => {
      let promise = stopping.get(component.name);
      if (promise === undefined) {
        promise = Promise.all((dependents.get(component.name) ?? []).map(stopOne)).then(async () => {
          const error = await runHook(component, 'stop', deadline - performance.now(), label, this.#options);
          if (error !== undefined) errors.push(error);
        });
        stopping.set(component.name, promise);
      }
      return promise;
    };
    await Promise.all(started.map(stopOne));
    return errors;
  }
}
