import { createApp, describeError, StopError, type App, type Bundle, type ConfigReader, type Logger, type Replacement, type StopResult, type Token } from '@agentkit/core';
import { APM_RECEIVER } from '@agentkit/apm/prebound';
import { UDP_LISTENER } from '@agentkit/dogstatsd/prebound';
import { formatPendingWork, pendingBeforeStop, type PendingStage } from './pending-work.js';

/** The pipeline gets this long to start; past it the program runs without it rather than wait. */
export const DEFAULT_EXEC_START_TIMEOUT_MS = 5000;

/**
 * The running pipeline of `agentkit exec`: an App over the default agent's bundles, started
 * before the program, stopped after it within what is left of the shutdown budget. Exists only
 * once started (see `start`); every method may be called during and after the stop too.
 */
export class ExecPipeline {
  readonly #app: App;
  readonly #log: Logger;

  private constructor(items: readonly (Bundle | Replacement)[], config: ConfigReader, logger: Logger, stopTimeoutMs: number) {
    this.#log = logger;
    this.#app = createApp(items, { config, logger, startTimeoutMs: DEFAULT_EXEC_START_TIMEOUT_MS, stopTimeoutMs });
  }

  /**
   * Builds the app and starts it up to its ready point (`App.ready`: the listeners the program
   * sends to, and what they feed, have started); the other components go on starting beside
   * the program (see `started`). Rejects (after the app rolled back what had started) when the
   * graph is invalid or a component fails to start before that point. `stopTimeoutMs` is the
   * app's default stop budget (the whole shutdown budget); `stop` gives it what is left of it.
   */
  public static async start(items: readonly (Bundle | Replacement)[], config: ConfigReader, logger: Logger, stopTimeoutMs: number): Promise<ExecPipeline> {
    const pipeline = new ExecPipeline(items, config, logger, stopTimeoutMs);
    await pipeline.#app.ready();
    return pipeline;
  }

  /** The whole start: rejects (after the app rolled back) when a component failed to start, after the ready point too. */
  public get started(): Promise<void> {
    return this.#app.start();
  }

  /** The UDP port DogStatsD listens on, when it does. */
  public get udpPort(): number | undefined {
    const udp = this.find(UDP_LISTENER);
    return udp?.listening === true ? udp.port : undefined;
  }

  /** The TCP port the trace agent's receiver listens on, when it does. */
  public get apmPort(): number | undefined {
    const apm = this.find(APM_RECEIVER);
    return apm === undefined || apm.port === 0 ? undefined : apm.port;
  }

  /** The component behind `token`, or undefined when no enabled bundle provides it. */
  public find<T>(token: Token<T>): T | undefined {
    return this.#app.find(token);
  }

  /**
   * Stops the app within `timeoutMs` (core gives every hook its share of it and ends the stop
   * by then) and resolves to core's stop result; hook failures are logged here. Never rejects.
   */
  public async stop(timeoutMs: number): Promise<StopResult | undefined> {
    try {
      return await this.#app.stop({ timeoutMs });
    } catch (error) {
      this.#log.error({ err: error }, `pipeline stop: ${describeError(error)}`);
      return error instanceof StopError ? error.result : undefined;
    }
  }

  /** Before the stop: per stage, what is still held. */
  public pendingWork(): PendingStage[] {
    return pendingBeforeStop(this.#app.graph().startOrder, this.#app.telemetry());
  }

  /** {@link pendingWork} as one line for a log message. */
  public describePendingWork(): string {
    return formatPendingWork(this.pendingWork());
  }
}
