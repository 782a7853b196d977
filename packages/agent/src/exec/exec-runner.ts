import { DEFAULT_APM_RECEIVER_PORT } from '@agentkit/apm/config-keys';
import { describeError, settleWithin, type Logger, monotonicNowMs } from '@agentkit/core';
import { ENHANCED_METRICS, type EnhancedMetrics } from '@agentkit/serverless/setup';
import { applyAgentV8Flags } from '../agent-v8-flags.js';
import { ChildTask, type TaskExit } from './child-task.js';
import { formatCommand, type TaskCommand } from './command-line.js';
import { ExecPipeline } from './exec-pipeline.js';
import { loadExecSetup, type ExecSetup } from './exec-setup.js';
import { PreboundListeners, type ListenerPorts } from './prebound-listeners.js';
import { budgetRanOut, formatPendingWork, pendingAfterStop } from './pending-work.js';
import { attachProgramLogs, programLogs, type ProgramLogs } from './program-logs.js';
import { catchSignals, exitCodeOf, TERMINATING_SIGNALS } from './signals.js';

export interface ExecOptions {
  /** The program to wrap; undefined for sidecar mode (no program: run until SIGTERM/SIGINT). */
  readonly command: TaskCommand | undefined;
  /** The `--config` YAML file. */
  readonly configFile: string | undefined;
  /** The environment: read for DD_* configuration, and passed on to the program. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For warnings printed before the logger exists. */
  readonly warn: (text: string) => void;
}

export interface ExecResult {
  /** The program's exit code (128 + signal number if a signal killed it); 0 in sidecar mode. */
  readonly exitCode: number;
  /** True when a stage of the drain ran out of the shutdown budget (cut short or abandoned). */
  readonly budgetExhausted: boolean;
}

/**
 * `agentkit exec`: starts the pipeline, then the program; forwards signals to it; once it has
 * exited (or, in sidecar mode, on SIGTERM/SIGINT) drains the pipeline within the shutdown
 * budget. Resolves to the exit code; never rejects. It leaves the process to the caller, who
 * should exit at once: on 'budgetExhausted' a stop hook may still hold the event loop.
 */
export async function runExec(options: ExecOptions): Promise<ExecResult> {
  return new ExecSession(options).run();
}

class ExecSession {
  readonly #options: ExecOptions;
  #setup: ExecSetup | undefined;
  #log: Logger | undefined;
  #pipeline: ExecPipeline | undefined;
  #enhanced: EnhancedMetrics | undefined;
  #logs: ProgramLogs | undefined;
  #child: ChildTask | undefined;
  #terminatedBy: NodeJS.Signals | undefined;
  #killTimer: NodeJS.Timeout | undefined;
  /** Readies the first send (exec-bundles.ts), once the pipeline is at its ready point. */
  #prepareFirstSend: (() => void) | undefined;
  /** True while the app starts beside the program (its listeners prebound): the drain's reserve is kept. */
  #pipelineStarting = false;

  public constructor(options: ExecOptions) {
    this.#options = options;
  }

  public async run(): Promise<ExecResult> {
    // First of all: from here on a SIGTERM must not kill the wrapper (the default action) but
    // start an orderly shutdown. Sidecar mode has no program to forward anything to.
    const stopCatching =
      this.#options.command === undefined
        ? catchSignals((signal) => this.#onSignal(signal), TERMINATING_SIGNALS)
        : catchSignals((signal) => this.#onSignal(signal));
    try {
      const setup = await loadExecSetup(this.#options.configFile, this.#options.env, this.#options.warn);
      this.#setup = setup;
      applyAgentV8Flags(setup.config);
      this.#log = setup.logger.child({ component: 'exec' });
      this.#log.debug({ sinceProcessStartMs: Math.round(monotonicNowMs()), cpuMs: cpuMsSoFar() }, 'configuration loaded');
      // Told to stop already: neither the pipeline nor the program is worth starting.
      if (this.#terminatedBy !== undefined) setup.budget.start();
      else await this.#startPipeline(setup);
      const exitCode = await this.#runProgram(setup);
      return { exitCode, budgetExhausted: !(await this.#drain(setup, exitCode)) };
    } finally {
      clearTimeout(this.#killTimer);
      this.#setup?.budget.dispose();
      stopCatching();
    }
  }

  async #startPipeline(setup: ExecSetup): Promise<void> {
    const log = this.#log as Logger;
    if (setup.config === undefined) return;
    let prebound: PreboundListeners | undefined;
    try {
      const logs = await programLogs(setup.config, setup.cloud);
      this.#logs = logs;
      // The program starts now, beside the app's construction and start, when every listener of
      // the ready point can be bound first (and taken over by its listener, with what it held);
      // with logs_enabled the log source must own the program's pipes from the start.
      prebound = logs === undefined && this.#options.command !== undefined ? await PreboundListeners.bind(setup.config, setup.logger) : undefined;
      if (prebound !== undefined && this.#terminatedBy === undefined) {
        this.#pipelineStarting = true;
        this.#spawn(this.#options.command as TaskCommand, prebound.ports);
      }
      // The pipeline's code loads only now (exec-bundles.ts): with prebound listeners, beside the program.
      const { execBundles, prepareFirstSend } = await import('./exec-bundles.js');
      const pipeline = await ExecPipeline.start(
        await execBundles(setup.config, setup.cloud, [logs?.bundle, prebound?.bundle]),
        setup.config,
        setup.logger,
        setup.budget.totalMs,
      );
      this.#pipeline = pipeline;
      this.#prepareFirstSend = () => prepareFirstSend(pipeline);
      // What is not needed before the program starts (a status page, the symdb upload, …) is
      // still starting: a failure there stops the pipeline, and the program runs on without it.
      this.#pipeline.started.catch((error: unknown) => {
        log.error({ err: error }, `the metrics pipeline failed to start after the program started and was stopped (the program's metrics are lost): ${describeError(error)}`);
      });
      const enhanced = this.#pipeline.find(ENHANCED_METRICS);
      this.#enhanced = enhanced;
      // Tags from the metadata server join the enhanced metrics whenever they arrive.
      void setup.metadataTags.then((tags) => enhanced?.addTags(tags));
    } catch (error) {
      log.error({ err: error }, `the metrics pipeline could not start, the program runs WITHOUT it (its metrics are lost): ${describeError(error)}`);
    } finally {
      this.#pipelineStarting = false;
      await prebound?.closeUntaken();
    }
  }

  /** Runs the program (unless a terminating signal came first) and resolves to its exit code. */
  async #runProgram(setup: ExecSetup): Promise<number> {
    const log = this.#log as Logger;
    const command = this.#options.command;
    if (command === undefined) {
      log.info('sidecar mode (no program to run): running until SIGTERM or SIGINT');
      await settleWithin(new Promise<never>(() => {}), setup.budget.startedSignal);
      return 0;
    }
    if (this.#child === undefined && this.#terminatedBy !== undefined) {
      log.warn({ signal: this.#terminatedBy }, `${this.#terminatedBy} before the program started: not starting ${formatCommand(command)}`);
      return exitCodeOf(null, this.#terminatedBy);
    }
    const child = this.#child ?? this.#spawn(command, { udpPort: this.#pipeline?.udpPort, apmPort: this.#pipeline?.apmPort });
    // Now, not before: the program has started (and the pipeline is at its ready point), so what
    // this readies (~16 ms of CPU for an https intake) runs beside the program, off its start and
    // off the drain after its exit.
    this.#prepareFirstSend?.();
    const exit = await this.#waitForExit(child, setup);
    setup.budget.start();
    clearTimeout(this.#killTimer);
    this.#enhanced?.taskEnded({ exitCode: exit.exitCode, durationMs: exit.durationMs });
    if (exit.spawnError !== undefined) {
      log.error({ err: exit.spawnError, exitCode: exit.exitCode }, `cannot run ${formatCommand(command)}: ${exit.spawnError.message}`);
    } else {
      log.info({ exitCode: exit.exitCode, signal: exit.signal, durationMs: exit.durationMs }, `program exited${exit.signal === undefined ? ` with code ${exit.exitCode}` : ` on ${exit.signal}`}`);
    }
    return exit.exitCode;
  }

  /** Starts the program, told where the listeners are (`ports`). */
  #spawn(command: TaskCommand, ports: ListenerPorts): ChildTask {
    // logs_enabled: the program's stdout and stderr are pipes the log source reads (and shows again).
    const logSource = this.#logs === undefined ? undefined : this.#pipeline?.find(this.#logs.source);
    const child = new ChildTask(command, this.#programEnv(ports), logSource !== undefined);
    this.#child = child;
    if (logSource !== undefined) attachProgramLogs(logSource, child);
    // startupMs: from this process's start to the program's (the wrapper's cold start); cpuMs:
    // the CPU this process used by then, every thread (less noisy than the time on a busy host).
    (this.#log as Logger).debug(
      { pid: child.pid, command: formatCommand(command), startupMs: Math.round(monotonicNowMs()), cpuMs: cpuMsSoFar(), beforePipeline: this.#pipelineStarting },
      'program started',
    );
    return child;
  }

  /** The program's exit; once the budget runs, waited for no longer than what is left of it. */
  async #waitForExit(child: ChildTask, setup: ExecSetup): Promise<TaskExit> {
    const beforeShutdown = await settleWithin(child.exited, setup.budget.startedSignal);
    if (beforeShutdown.settled) return beforeShutdown.value;
    const withinBudget = await settleWithin(child.exited, setup.budget.spentSignal);
    if (withinBudget.settled) return withinBudget.value;
    // The budget is spent: no reserve was kept (no pipeline to drain), or SIGKILL did not end it
    // (a process stuck in the kernel). Either way it is not waited for any longer.
    child.signal('SIGKILL');
    (this.#log as Logger).error({ pid: child.pid }, 'the program has not exited within serverless_shutdown_timeout: SIGKILL sent, not waiting for it');
    return { exitCode: exitCodeOf(null, 'SIGKILL'), signal: 'SIGKILL', durationMs: 0 };
  }

  /**
   * The program's environment: the wrapper's, with DD_DOGSTATSD_PORT set to the port UDP
   * listens on, so a client library finds it wherever it was configured (the YAML file too, not
   * only the environment). With UDP off (`dogstatsd_port` 0) or no pipeline, it is left as it was.
   * Likewise DD_TRACE_AGENT_PORT for a tracer, when the trace agent's receiver listens elsewhere
   * than the tracers' default 8126, unless the program was pointed at an agent already
   * (DD_TRACE_AGENT_PORT, DD_TRACE_AGENT_URL or DD_AGENT_HOST set): that choice is the user's.
   */
  #programEnv({ udpPort, apmPort }: ListenerPorts): Record<string, string | undefined> {
    const env = { ...this.#options.env };
    if (udpPort !== undefined) env['DD_DOGSTATSD_PORT'] = String(udpPort);
    const pointed = ['DD_TRACE_AGENT_PORT', 'DD_TRACE_AGENT_URL', 'DD_AGENT_HOST'].some((name) => (env[name] ?? '') !== '');
    if (apmPort !== undefined && apmPort !== DEFAULT_APM_RECEIVER_PORT && !pointed) env['DD_TRACE_AGENT_PORT'] = String(apmPort);
    return env;
  }

  #onSignal(signal: NodeJS.Signals): void {
    const log = this.#log;
    if (TERMINATING_SIGNALS.has(signal)) this.#beginShutdown(signal);
    const child = this.#child;
    if (child === undefined) {
      log?.debug({ signal }, 'signal before the program started: not forwarded');
      return;
    }
    const sent = child.signal(signal);
    log?.debug({ signal, pid: child.pid, sent }, sent ? 'signal forwarded to the program' : 'signal not forwarded: the program has exited');
  }

  /** The first SIGTERM/SIGINT: the budget starts, and a program that ignores it is killed when only the drain's reserve is left. */
  #beginShutdown(signal: NodeJS.Signals): void {
    if (this.#terminatedBy !== undefined) return;
    this.#terminatedBy = signal;
    const setup = this.#setup;
    if (setup === undefined) return; // still setting up: run() starts the budget once it exists
    if (this.#child?.done === true) return; // the program already ended: the drain is under way
    setup.budget.start();
    this.#enhanced?.shutdownStarted();
    this.#log?.info({ signal, budgetMs: setup.budget.totalMs }, `${signal}: shutting down within serverless_shutdown_timeout (${setup.budget.totalMs} ms)`);
    if (this.#child !== undefined) this.#armKill(this.#child, setup);
  }

  #armKill(child: ChildTask, setup: ExecSetup): void {
    // Without a pipeline (nor one starting) there is nothing to drain: the program may have the whole budget.
    const untilKillMs = this.#pipeline === undefined && !this.#pipelineStarting ? setup.budget.remainingMs() : setup.budget.untilKillMs();
    this.#killTimer = setTimeout(() => {
      if (child.done) return;
      const pipeline = this.#pipeline;
      const why = `the program did not exit within ${setup.budget.elapsedMs()} ms of ${this.#terminatedBy}: sending SIGKILL`;
      if (pipeline === undefined) this.#log?.error({ pid: child.pid }, `${why} (serverless_shutdown_timeout)`);
      else {
        const reserveMs = Math.round(setup.budget.reserveMs);
        this.#log?.error(
          { pid: child.pid, reserveMs, pending: pipeline.pendingWork() },
          `${why}, keeping ${reserveMs} ms of serverless_shutdown_timeout for the drain; pending: ${pipeline.describePendingWork()}`,
        );
      }
      child.signal('SIGKILL');
    }, untilKillMs);
  }

  /**
   * Stops the pipeline within what is left of the budget: core shares it between the stages
   * and ends the stop by then. False when a stage ran out of the budget. Its result is the
   * pending-work report: logged at error level when a stage was cut short, did not finish or failed.
   */
  async #drain(setup: ExecSetup, exitCode: number): Promise<boolean> {
    const pipeline = this.#pipeline;
    setup.budget.start();
    if (pipeline === undefined) return true;
    this.#enhanced?.shutdownStarted();
    const startedAt = monotonicNowMs();
    const result = await pipeline.stop(setup.budget.remainingMs());
    const log = this.#log as Logger;
    const timing = { drainMs: Math.round(monotonicNowMs() - startedAt), shutdownMs: setup.budget.elapsedMs(), budgetMs: setup.budget.totalMs, exitCode };
    if (result === undefined) {
      log.error(timing, `the drain failed (logged above); exiting with code ${exitCode}`);
      return true;
    }
    const pending = pendingAfterStop(result);
    if (budgetRanOut(result)) {
      log.error(
        { ...timing, pending, unfinished: result.unfinished, cut: result.cut },
        `serverless_shutdown_timeout (${setup.budget.totalMs} ms) ran out during the drain; exiting with code ${exitCode}; still pending: ${formatPendingWork(pending)}`,
      );
      return false;
    }
    if (result.unfinished.length + result.cut.length + result.failed.length > 0) {
      log.error(
        { ...timing, pending, unfinished: result.unfinished, cut: result.cut, failed: result.failed },
        `drained, but not every stage finished (their own limits ran out, or they failed); exiting with code ${exitCode}; still pending: ${formatPendingWork(pending)}`,
      );
      return true;
    }
    log.info(timing, `drained; exiting with code ${exitCode}`);
    return true;
  }
}

/** CPU time this process has used so far (user + system, all threads), in ms. */
function cpuMsSoFar(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}
