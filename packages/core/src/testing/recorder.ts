import type { LifecycleEvent } from '../lifecycle/hook-runner.js';

/**
 * Collects lifecycle events for assertions: pass `recorder.onEvent` as createApp's `onEvent`
 * and read `recorder.order('start')` for the order hooks were called in.
 */
export class LifecycleRecorder {
  public readonly events: LifecycleEvent[] = [];

  public readonly onEvent = (event: LifecycleEvent): void => {
    this.events.push(event);
  };

  /** Components in the order their `phase` hook was called. */
  public order(phase: 'start' | 'stop'): string[] {
    return this.events.filter((e) => e.type === 'executing' && e.phase === phase).map((e) => e.component);
  }

  /** The events with an error, for one phase. */
  public failures(phase: 'start' | 'stop'): LifecycleEvent[] {
    return this.events.filter((e) => e.type === 'executed' && e.phase === phase && e.error !== undefined);
  }
}
