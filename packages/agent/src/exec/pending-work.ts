import { pendingGauges, type StageStop, type StopResult, type TelemetrySnapshot } from '@agentkit/core';

/** One stage's share of the work not done yet. */
export interface PendingStage {
  readonly component: string;
  /**
   * Where its stop was: not called yet (before the drain), running when its time ran out (cut
   * short or never finished), failed, or done.
   */
  readonly stop: 'not started' | 'running' | 'failed' | 'done';
  /** Its non-zero pending gauges (core's `pendingGauges`). */
  readonly pending: Readonly<Record<string, number>>;
}

/**
 * Before the drain: per component, in start order, the pending gauges that are not zero;
 * components holding nothing are left out.
 */
export function pendingBeforeStop(components: readonly string[], telemetry: Readonly<Record<string, TelemetrySnapshot>>): PendingStage[] {
  const out: PendingStage[] = [];
  for (const component of components) {
    const pending = pendingGauges(telemetry[component]);
    if (Object.keys(pending).length > 0) out.push({ component, stop: 'not started', pending });
  }
  return out;
}

/**
 * After the drain, from core's stop result, in stop order: every stage whose time ran out or
 * that failed, with what it held then, and every other stage that still holds something.
 */
export function pendingAfterStop(result: StopResult): PendingStage[] {
  const out: PendingStage[] = [];
  for (const stage of result.stages) {
    const stop = stopState(stage);
    if (stop === 'done' && Object.keys(stage.pending).length === 0) continue;
    out.push({ component: stage.component, stop, pending: stage.pending });
  }
  return out;
}

/** True when a stage's time ran out (cut short or not finished) because the budget had no more left. */
export function budgetRanOut(result: StopResult): boolean {
  return result.stages.some((s) => (s.outcome === 'cut' || s.outcome === 'unfinished') && s.limitedBy === 'budget');
}

/** `Forwarder (stop running): queue.high=2, inflight=1; Demultiplexer (stop done): buckets=1` */
export function formatPendingWork(stages: readonly PendingStage[]): string {
  if (stages.length === 0) return 'nothing';
  return stages
    .map((s) => {
      const gauges = Object.entries(s.pending).map(([name, value]) => `${name}=${value}`);
      return `${s.component} (stop ${s.stop})${gauges.length === 0 ? '' : `: ${gauges.join(', ')}`}`;
    })
    .join('; ');
}

function stopState(stage: StageStop): PendingStage['stop'] {
  switch (stage.outcome) {
    case 'cut':
    case 'unfinished':
      return 'running';
    case 'failed':
      return 'failed';
    case 'done':
      return 'done';
  }
}
