import { DEMULTIPLEXER, type Demultiplexer, type MetricSample } from '@agentkit/aggregator';
import { CONFIG, inject, injectable, LOGGER, type ConfigReader, type Logger, type TelemetrySource, monotonicNowMs } from '@agentkit/core';
import { CLOUD_SERVICE, type CloudService } from '../cloud/cloud-service.js';
import { withoutHighCardinalityTags } from '../cloud/tags.js';
import { serverlessKeys } from '../config-keys.js';
import type { EnhancedMetrics, TaskResult } from './enhanced-metrics.def.js';

/**
 * EnhancedMetrics as samples handed to the Demultiplexer. It injects DEMULTIPLEXER, so it starts
 * after it and stops before it: what `onStop` records is in the demultiplexer's final flush.
 */
@injectable()
export class DemuxEnhancedMetrics implements EnhancedMetrics, TelemetrySource {
  readonly #demux: Demultiplexer;
  readonly #cloud: CloudService;
  readonly #log: Logger;
  readonly #enabled: boolean;
  readonly #isJob: boolean;
  #startedAtMs: number | undefined;
  #shutdownRecorded = false;
  #taskEndRecorded = false;
  #stopped = false;
  #sent = 0;
  #tags: readonly string[];

  public constructor(
    @inject(DEMULTIPLEXER) demux: Demultiplexer,
    @inject(CLOUD_SERVICE) cloud: CloudService,
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
  ) {
    this.#demux = demux;
    this.#cloud = cloud;
    this.#log = logger.child({ component: 'EnhancedMetrics' });
    this.#enabled = config.get(serverlessKeys.enhancedMetricsEnabled);
    this.#isJob = cloud.kind === 'cloud_run_job';
    this.#tags = cloud.metricTags;
  }

  public addTags(tags: readonly string[]): void {
    const added = withoutHighCardinalityTags(tags).filter((tag) => !this.#tags.includes(tag));
    if (added.length > 0) this.#tags = Object.freeze([...this.#tags, ...added]);
  }

  public onStart(): void {
    this.#startedAtMs ??= monotonicNowMs();
    // Jobs count tasks instead of instances (serverless-init sends no cold_start for them).
    this.#record(this.#isJob ? 'task.started' : 'cold_start', 1);
  }

  public taskEnded(result: TaskResult): void {
    if (this.#stopped || this.#taskEndRecorded) return;
    this.#taskEndRecorded = true;
    if (!this.#isJob) return;
    this.#recordTaskEnd(result.exitCode === 0, result.durationMs);
  }

  public shutdownStarted(): void {
    if (this.#stopped || this.#shutdownRecorded) return;
    this.#shutdownRecorded = true;
    // A job's end is task.ended (serverless-init sends no shutdown metric for jobs).
    if (!this.#isJob) this.#record('shutdown', 1);
  }

  /** Records what nobody reported, before the demultiplexer's final flush. */
  public onStop(): void {
    if (this.#stopped) return;
    if (this.#isJob && !this.#taskEndRecorded) {
      this.#taskEndRecorded = true;
      // The task's outcome is unknown (the agent is stopping first): it did not succeed.
      this.#recordTaskEnd(false, this.#startedAtMs === undefined ? 0 : monotonicNowMs() - this.#startedAtMs);
    }
    if (!this.#isJob && !this.#shutdownRecorded) {
      this.#shutdownRecorded = true;
      this.#record('shutdown', 1);
    }
    this.#stopped = true;
  }

  public telemetry(): Record<string, number> {
    return { sent: this.#sent, enabled: this.#enabled ? 1 : 0 };
  }

  #recordTaskEnd(succeeded: boolean, durationMs: number): void {
    this.#record('task.ended', 1, Object.freeze([...this.#tags, `succeeded:${succeeded}`]));
    this.#record('task.duration', Math.max(0, durationMs));
  }

  #record(suffix: string, value: number, tags: readonly string[] = this.#tags): void {
    if (!this.#enabled) return;
    const sample: MetricSample = {
      name: `${this.#cloud.prefix}.enhanced.${suffix}`,
      value,
      type: 'distribution',
      tags,
      host: '',
      sampleRate: 1,
      timestamp: Date.now() / 1000,
      source: 'serverless-enhanced',
    };
    this.#demux.addSamples([sample]);
    this.#sent++;
    this.#log.debug({ metric: sample.name, value }, 'enhanced metric recorded');
  }
}
