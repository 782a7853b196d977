import { createApp, describeError, type App, type Bundle, type ConfigReader, type Logger, type Replacement, type Token } from '@agentkit/core';
import { UDP_LISTENER } from '@agentkit/dogstatsd';
import { formatPendingWork, pendingWork, type PendingStage } from './pending-work.js';

/** The pipeline gets this long to start; past it the program runs without it rather than wait. */
export const DEFAULT_EXEC_START_TIMEOUT_MS = 5000;

/** How the pipeline's stop ended. */
export type StopOutcome = 'stopped' | 'stopped-with-errors' | 'out-of-time';

/**
 * The running pipeline of `agentkit exec`: an App over the default agent's bundles, started
 * before the program, stopped after it. Stop progress is followed hook by hook, so that a
 * stop cut short can say which stage was still at work and what it held. Exists only once
 * started (see `start`); every method may be called during and after the stop too.
 */
export class ExecPipeline {
  readonly #app: App;
  readonly #log: Logger;
  readonly #stops = new Map<string, 'running' | 'done'>();

  private constructor(items: readonly (Bundle | Replacement)[], config: ConfigReader, logger: Logger, stopTimeoutMs: number) {
    this.#log = logger;
    this.#app = createApp(items, {
      config,
      logger,
      startTimeoutMs: DEFAULT_EXEC_START_TIMEOUT_MS,
      stopTimeoutMs,
      onEvent: (event) => {
        if (event.phase !== 'stop') return;
        if (event.type === 'executing') this.#stops.set(event.component, 'running');
        else if (event.type === 'executed') this.#stops.set(event.component, 'done');
      },
    });
  }

  /**
   * Builds and starts the app; rejects (after the app rolled back what had started) when the
   * graph is invalid or a component fails to start. `stopTimeoutMs` is the app's own bound on
   * its stop: the shutdown budget, which the caller also enforces from the outside.
   */
  public static async start(items: readonly (Bundle | Replacement)[], config: ConfigReader, logger: Logger, stopTimeoutMs: number): Promise<ExecPipeline> {
    const pipeline = new ExecPipeline(items, config, logger, stopTimeoutMs);
    await pipeline.#app.start();
    return pipeline;
  }

  /** The UDP port DogStatsD listens on, when it does. */
  public get udpPort(): number | undefined {
    const udp = this.find(UDP_LISTENER);
    return udp?.listening === true ? udp.port : undefined;
  }

  /** The component behind `token`, or undefined when no enabled bundle provides it. */
  public find<T>(token: Token<T>): T | undefined {
    return this.#app.find(token);
  }

  /**
   * Stops the app, waiting at most `timeoutMs`. Hook failures are logged here; on
   * 'out-of-time' the stop goes on in the background and the caller is expected to exit.
   */
  public async stopWithin(timeoutMs: number): Promise<StopOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<'out-of-time'>((resolve) => {
      timer = setTimeout(() => resolve('out-of-time'), timeoutMs);
    });
    const stopping = this.#app.stop().then(
      (): StopOutcome => 'stopped',
      (error: unknown): StopOutcome => {
        this.#log.error({ err: error }, `pipeline stop: ${describeError(error)}`);
        return 'stopped-with-errors';
      },
    );
    try {
      return await Promise.race([stopping, outOfTime]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Per stage, what is still held and how far its stop got. */
  public pendingWork(): PendingStage[] {
    return pendingWork(this.#app.graph().startOrder, this.#app.telemetry(), this.#stops);
  }

  /** {@link pendingWork} as one line for a log message. */
  public describePendingWork(): string {
    return formatPendingWork(this.pendingWork());
  }
}
