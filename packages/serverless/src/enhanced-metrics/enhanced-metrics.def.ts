import { token } from '@agentkit/core';

/** How the wrapped command ended, as `agentkit exec` saw it. */
export interface TaskResult {
  /** The command's exit code (a signal-killed command counts as failed: non-zero). */
  readonly exitCode: number;
  /** From the command's start to its end. */
  readonly durationMs: number;
}

/**
 * serverless-init's enhanced metrics, sent as distributions (value 1, or the duration) straight
 * into the demultiplexer, tagged with the platform's metric tags, with an empty host and the
 * `serverless-enhanced` origin. Per platform (prefix from CLOUD_SERVICE):
 * - services (Cloud Run, Container Apps, App Service, local): `<prefix>.enhanced.cold_start` at
 *   start, `<prefix>.enhanced.shutdown` when shutdown begins;
 * - Cloud Run jobs: `gcp.run.job.enhanced.task.started` at start, `task.ended` (`succeeded:true|false`)
 *   and `task.duration` (ms) when the task ends.
 * Whatever was not recorded when the component stops is recorded then (so it is never lost):
 * it stops before the demultiplexer, which then flushes it. Nothing is sent when
 * `enhanced_metrics_enabled` is false.
 *
 * Both methods may be called at any time (before start too), never throw and never block; they
 * are idempotent, and after stop they do nothing (stop recorded what was missing).
 */
export interface EnhancedMetrics {
  /** The child exited (or was killed): records task.ended{succeeded} + task.duration for jobs. Idempotent. */
  taskEnded(result: TaskResult): void;
  /** SIGTERM received / shutdown began: records <prefix>.enhanced.shutdown once. Idempotent. */
  shutdownStarted(): void;
  /**
   * Tags learnt after start (the metadata server's, looked up in the background so the program
   * never waits for them): added to what is recorded from now on, high-cardinality ones dropped.
   */
  addTags(tags: readonly string[]): void;
}

export const ENHANCED_METRICS = token<EnhancedMetrics>('EnhancedMetrics');
