import { Container } from 'inversify';
import {
  CONFIG,
  LOGGER,
  SHUTDOWNER,
  TELEMETRY,
  configFromObject,
  isConfigReader,
  silentLogger,
  type ConfigReader,
  type Logger,
  type Shutdowner,
  type TelemetryReader,
} from './built-ins.js';
import type { Bundle, Replacement } from './container/bundle.js';
import { resolveHookTimeout, type Provider } from './container/provider.js';
import { AgentkitError, CoreErrorCode, HookError, StopError, describeError } from './errors.js';
import { buildPlan, type BundleDecision, type Plan } from './graph/plan.js';
import { graphOf, toDot, toMermaid, toText, type AppGraph } from './graph/render.js';
import { elapsedSince, type LifecycleComponent, type LifecycleEvent } from './lifecycle/hook-runner.js';
import { Lifecycle } from './lifecycle/lifecycle.js';
import { stopResultOf, type StopOptions, type StopResult } from './lifecycle/stop-budget.js';
import { waitForShutdown } from './lifecycle/signals.js';
import { isTelemetrySource, type TelemetrySnapshot } from './telemetry/telemetry.js';
import { tokenName, type Token } from './token.js';
import { monotonicNowMs } from './time/monotonic-clock.js';

export const DEFAULT_START_TIMEOUT_MS = 15_000;
export const DEFAULT_STOP_TIMEOUT_MS = 15_000;

export interface AppOptions {
  /** A ConfigReader (e.g. @agentkit/config's Config) or a plain object of key → value. */
  readonly config?: ConfigReader | Readonly<Record<string, unknown>>;
  /** Budget for all onStart hooks together. Defaults to 15 000 ms. */
  readonly startTimeoutMs?: number;
  /**
   * The default budget of a stop, for all onStop hooks together (a rollback gets a fresh one);
   * `stop({ timeoutMs })` gives one stop another. Defaults to 15 000 ms.
   */
  readonly stopTimeoutMs?: number;
  /** Start a component as soon as its dependencies have started. Defaults to false. */
  readonly parallelStart?: boolean;
  /** Called for every hook: executing, executed (with `error` on failure), late, rolling-back. */
  readonly onEvent?: (event: LifecycleEvent) => void;
  /** Receives the plan (debug), hook durations (debug) and failures. Defaults to silent. */
  readonly logger?: Logger;
}

export interface RunOptions {
  readonly onStarted?: (app: App) => void;
}

export type AppState = 'idle' | 'starting' | 'started' | 'stopping' | 'stopped' | 'failed';

/** A validated graph of components with a lifecycle. See {@link createApp}. */
export interface App {
  /** Constructs every component and starts them in dependency order. Idempotent. */
  start(): Promise<void>;
  /**
   * Starts the app (as `start`) and resolves as soon as every component provided with
   * `ready: true` has started, while the others go on starting (the start puts the ready ones
   * and their dependencies first); with none marked, when the whole start has. Rejects if the
   * start fails before that point; a failure after it rolls back the start as usual and
   * rejects `start()` (and so delays `stop()` until the rollback is done).
   */
  ready(): Promise<void>;
  /**
   * Stops what started, in reverse order, within one budget: `timeoutMs`, or the app's
   * `stopTimeoutMs`. Each hook's signal aborts at its share of what is left (see README, "The
   * stop budget"); every hook is called, even past the deadline. Resolves to the StopResult
   * (which hooks were cut short, and each stage's pending gauges); rejects with a StopError,
   * which carries the same result, when a hook failed or had not finished by its share's end.
   * Idempotent: a second call returns the first stop (its budget too); before start, a no-op.
   */
  stop(options?: StopOptions): Promise<StopResult>;
  /**
   * Starts, waits for SIGINT/SIGTERM or `shutdown(code)`, stops, and resolves to the exit
   * code: the one asked for, 0 after a signal, 1 if start or stop failed. A second signal
   * exits the process at once (130 for SIGINT, 143 for SIGTERM), except the first one again
   * within SIGNAL_ECHO_WINDOW_MS (1 s), an echo such as npm's of a Ctrl-C. `onStarted` runs once every
   * component has started (e.g. to print where the agent listens); if it throws, the app stops
   * and `run()` resolves to 1.
   */
  run(options?: RunOptions): Promise<number>;
  /** Asks the app to stop gracefully; `run()` then resolves to `exitCode` (first one wins). */
  shutdown(exitCode?: number): void;
  /** The instance behind a token; constructs the graph on first use. Throws `ERR_CORE_NOT_PROVIDED` when nothing provides it. */
  get<T>(token: Token<T>): T;
  /** Like `get`, but undefined when no enabled bundle provides `token` (a bundle config switched off). */
  find<T>(token: Token<T>): T | undefined;
  graph(): AppGraph;
  toDot(): string;
  toMermaid(): string;
  toText(): string;
  /** Which bundles are on or off, and why. */
  bundles(): readonly BundleDecision[];
  /** Each constructed component that implements TelemetrySource, by name, in start order. */
  telemetry(): Record<string, TelemetrySnapshot>;
  readonly state: AppState;
}

/**
 * Builds an app from bundles and replacements. Validates the whole graph (missing providers,
 * cycles, duplicates) before constructing anything and throws an AgentkitError if it is wrong.
 */
export function createApp(items: readonly (Bundle | Replacement)[], options: AppOptions = {}): App {
  return new LifecycleApp(items, options);
}

class LifecycleApp implements App {
  readonly #options: AppOptions;
  readonly #config: ConfigReader;
  readonly #logger: Logger;
  readonly #plan: Plan;
  readonly #builtIns: readonly Provider[];
  #instances: Map<Token<unknown>, unknown> | undefined;
  #lifecycle: Lifecycle | undefined;
  #state: AppState = 'idle';
  #starting: Promise<void> | undefined;
  #ready: Promise<void> | undefined;
  #resolveReady: (() => void) | undefined;
  #isReady = false;
  #stopping: Promise<StopResult> | undefined;
  #exitCode: number | undefined;
  readonly #shutdownListeners = new Set<() => void>();

  public constructor(items: readonly (Bundle | Replacement)[], options: AppOptions) {
    this.#options = options;
    this.#config = options.config === undefined ? configFromObject({}) : isConfigReader(options.config) ? options.config : configFromObject(options.config);
    this.#logger = options.logger ?? silentLogger;
    const shutdowner: Shutdowner = { shutdown: (code?: number) => this.shutdown(code) };
    const telemetry: TelemetryReader = { snapshot: () => this.telemetry() };
    const builtIns: Provider[] = [
      { token: CONFIG, options: {}, kind: 'value', useValue: this.#config },
      { token: LOGGER, options: {}, kind: 'value', useValue: this.#logger },
      { token: SHUTDOWNER, options: {}, kind: 'value', useValue: shutdowner },
      { token: TELEMETRY, options: {}, kind: 'value', useValue: telemetry },
    ];
    this.#builtIns = builtIns;
    this.#plan = buildPlan(items, builtIns, this.#config);
    this.#logger.debug(
      { bundles: this.#plan.bundles, startOrder: this.#plan.components.map((c) => c.name) },
      `app plan: ${this.#plan.bundles.map((b) => `${b.name} ${b.enabled ? 'on' : 'off'} (${b.reason})`).join(', ') || 'no bundles'}`,
    );
  }

  public get state(): AppState {
    return this.#state;
  }

  public start(): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped' || this.#state === 'failed') {
      return Promise.reject(new AgentkitError(CoreErrorCode.InvalidState, `cannot start an app that is ${this.#state}; create a new one`));
    }
    this.#starting ??= this.#doStart();
    return this.#starting;
  }

  public ready(): Promise<void> {
    this.#ready ??= new Promise<void>((resolve, reject) => {
      if (this.#isReady) resolve();
      this.#resolveReady = resolve;
      this.start().then(resolve, reject);
    });
    return this.#ready;
  }

  async #doStart(): Promise<void> {
    this.#state = 'starting';
    try {
      const components = this.#construct();
      this.#lifecycle = new Lifecycle(components, {
        startTimeoutMs: this.#options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
        stopTimeoutMs: this.#options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
        parallel: this.#options.parallelStart === true,
        emit: (event) => this.#options.onEvent?.(event),
        logger: this.#logger,
        onReady: () => {
          this.#isReady = true;
          this.#resolveReady?.();
        },
      });
      await this.#lifecycle.start();
      this.#state = 'started';
    } catch (error) {
      this.#state = 'failed';
      throw error;
    }
  }

  public stop(options: StopOptions = {}): Promise<StopResult> {
    const budgetMs = options.timeoutMs ?? this.#options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      return Promise.resolve(stopResultOf(budgetMs, 0, [], []));
    }
    this.#stopping ??= this.#doStop(budgetMs);
    return this.#stopping;
  }

  async #doStop(budgetMs: number): Promise<StopResult> {
    // A stop asked for during start waits for the start to settle (a failed start has
    // already rolled back, so there is nothing left to stop). The budget runs from the call.
    const calledAt = monotonicNowMs();
    await this.#starting?.catch(() => undefined);
    if (this.#state !== 'started' || this.#lifecycle === undefined) return stopResultOf(budgetMs, 0, [], []);
    this.#state = 'stopping';
    const result = await this.#lifecycle.stop(Math.max(0, budgetMs - (monotonicNowMs() - calledAt)));
    this.#state = 'stopped';
    if (result.errors.length > 0) throw new StopError(result.errors, result);
    return result;
  }

  public async run(options: RunOptions = {}): Promise<number> {
    const waiting = waitForShutdown(this.#shutdownListeners, this.#logger);
    try {
      try {
        await this.start();
      } catch (error) {
        this.#logger.error({ err: error }, `start failed: ${describeError(error)}`);
        return 1;
      }
      try {
        options.onStarted?.(this);
      } catch (error) {
        this.#logger.error({ err: error }, `onStarted failed: ${describeError(error)}`);
        this.shutdown(1);
      }
      const signal = await waiting.reason;
      this.#logger.info(signal === undefined ? { exitCode: this.#exitCode } : { signal }, 'stopping');
      const startedAt = monotonicNowMs();
      try {
        await this.stop();
      } catch (error) {
        this.#logger.error({ err: error, durationMs: elapsedSince(startedAt) }, describeError(error));
        return 1;
      }
      this.#logger.info({ durationMs: elapsedSince(startedAt) }, 'stopped');
      return this.#exitCode ?? 0;
    } finally {
      waiting.dispose();
    }
  }

  public shutdown(exitCode = 0): void {
    this.#exitCode ??= exitCode;
    if (this.#shutdownListeners.size > 0) {
      for (const listener of this.#shutdownListeners) listener();
      return;
    }
    // Not under run(): stop directly; the caller cannot await this, so report failures.
    this.stop().catch((error: unknown) => this.#logger.error({ err: error }, `stop after shutdown() failed: ${describeError(error)}`));
  }

  public get<T>(tok: Token<T>): T {
    const instances = this.#instances ?? this.#constructAll();
    if (!instances.has(tok)) {
      throw new AgentkitError(CoreErrorCode.NotProvided, `get("${tokenName(tok)}"): no enabled bundle provides it`);
    }
    return instances.get(tok) as T;
  }

  public find<T>(tok: Token<T>): T | undefined {
    const instances = this.#instances ?? this.#constructAll();
    return instances.get(tok) as T | undefined;
  }

  public graph(): AppGraph {
    return graphOf(this.#plan);
  }

  public toDot(): string {
    return toDot(this.graph());
  }

  public toMermaid(): string {
    return toMermaid(this.graph());
  }

  public toText(): string {
    return toText(this.graph());
  }

  public bundles(): readonly BundleDecision[] {
    return this.#plan.bundles;
  }

  public telemetry(): Record<string, TelemetrySnapshot> {
    const out: Record<string, TelemetrySnapshot> = {};
    if (this.#instances === undefined) return out;
    for (const component of this.#plan.components) {
      const instance = this.#instances.get(component.token);
      if (isTelemetrySource(instance)) out[component.name] = instance.telemetry();
    }
    return out;
  }

  #construct(): LifecycleComponent[] {
    const instances = this.#instances ?? this.#constructAll();
    return this.#plan.components.map((c) => {
      const startTimeoutMs = resolveHookTimeout(c.name, 'startTimeoutMs', c.provider.options.startTimeoutMs, this.#config);
      const stopTimeoutMs = resolveHookTimeout(c.name, 'stopTimeoutMs', c.provider.options.stopTimeoutMs, this.#config);
      return {
        name: c.name,
        instance: instances.get(c.token),
        // What it must start after (and stop before): its injections and its ordering edges.
        deps: [...c.deps, ...c.after].map((d) => tokenName(d)),
        ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }),
        ...(stopTimeoutMs === undefined ? {} : { stopTimeoutMs }),
        ...(c.provider.options.ready === true ? { ready: true } : {}),
      };
    });
  }

  /** Binds everything in inversify and constructs it in start order, naming any constructor that throws. */
  #constructAll(): Map<Token<unknown>, unknown> {
    const container = new Container({ defaultScope: 'Singleton' });
    const planned = new Set(this.#plan.components.map((c) => c.token));
    for (const provider of this.#builtIns) if (!planned.has(provider.token)) bindProvider(container, provider);
    for (const component of this.#plan.components) bindProvider(container, component.provider);
    const instances = new Map<Token<unknown>, unknown>();
    for (const provider of this.#builtIns) if (!planned.has(provider.token)) instances.set(provider.token, provider.kind === 'value' ? provider.useValue : undefined);
    for (const component of this.#plan.components) {
      const startedAt = monotonicNowMs();
      try {
        instances.set(component.token, container.get(component.token));
      } catch (error) {
        throw new HookError(CoreErrorCode.ConstructFailed, component.name, 'construct', elapsedSince(startedAt), `failed: ${describeError(error)}`, {
          cause: error,
        });
      }
    }
    this.#instances = instances;
    return instances;
  }
}

function bindProvider(container: Container, provider: Provider): void {
  const binding = container.bind(provider.token);
  switch (provider.kind) {
    case 'value':
      binding.toConstantValue(provider.useValue);
      return;
    case 'class':
      binding.to(provider.useClass).inSingletonScope();
      return;
    case 'factory':
      binding
        .toResolvedValue(
          provider.useFactory,
          provider.deps.map((d) => (d.optional ? { serviceIdentifier: d.token, optional: true as const } : d.token)),
        )
        .inSingletonScope();
      return;
  }
}
