import { bundle, provide, type Bundle } from '@agentkit/core';
import { CLOUD_SERVICE, type CloudService } from '../cloud/cloud-service.js';
import { ENHANCED_METRICS, type EnhancedMetrics, type TaskResult } from './enhanced-metrics.def.js';

/** Records the calls, in order, for testing what drives EnhancedMetrics (e.g. `agentkit exec`). */
export class FakeEnhancedMetrics implements EnhancedMetrics {
  public readonly taskResults: TaskResult[] = [];
  public shutdownCalls = 0;
  /** Every call, by method name, in order. */
  public readonly calls: ('taskEnded' | 'shutdownStarted' | 'addTags')[] = [];
  public readonly addedTags: string[] = [];
  public started = false;
  public stopped = false;

  public taskEnded(result: TaskResult): void {
    this.calls.push('taskEnded');
    this.taskResults.push(result);
  }

  public shutdownStarted(): void {
    this.calls.push('shutdownStarted');
    this.shutdownCalls += 1;
  }

  public addTags(tags: readonly string[]): void {
    this.calls.push('addTags');
    this.addedTags.push(...tags);
  }

  public onStart(): void {
    this.started = true;
  }

  public onStop(): void {
    this.stopped = true;
  }
}

/** A `serverless` bundle with `cloud` as CLOUD_SERVICE and `fake` (a new FakeEnhancedMetrics unless given). */
export function fakeServerlessBundle(cloud: CloudService, fake: FakeEnhancedMetrics = new FakeEnhancedMetrics()): Bundle {
  return bundle('serverless', [provide(CLOUD_SERVICE, { useValue: cloud }), provide(ENHANCED_METRICS, { useValue: fake })]);
}
