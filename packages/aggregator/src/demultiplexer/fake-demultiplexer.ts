import { bundle, provide, type Bundle } from '@agentkit/core';
import { DEMULTIPLEXER, type Demultiplexer, type Event, type MetricSample, type ServiceCheck } from './demultiplexer.def.js';

/** Records everything the DogStatsD server hands over, in order. For testing the server alone. */
export class FakeDemultiplexer implements Demultiplexer {
  public readonly samples: MetricSample[] = [];
  public readonly timestampedSamples: MetricSample[] = [];
  public readonly events: Event[] = [];
  public readonly serviceChecks: ServiceCheck[] = [];
  /** Number of addSamples / addTimestampedSamples calls (batches). */
  public batches = 0;
  public stopped = false;

  public addSamples(batch: readonly MetricSample[]): void {
    this.batches += 1;
    for (const sample of batch) this.samples.push(sample);
  }

  public addTimestampedSamples(batch: readonly MetricSample[]): void {
    this.batches += 1;
    for (const sample of batch) this.timestampedSamples.push(sample);
  }

  public addEvents(events: readonly Event[]): void {
    for (const event of events) this.events.push(event);
  }

  public addServiceChecks(checks: readonly ServiceCheck[]): void {
    for (const check of checks) this.serviceChecks.push(check);
  }

  public onStop(): void {
    this.stopped = true;
  }
}

/** An `aggregator` bundle backed by `fake` (a new FakeDemultiplexer unless given). */
export function fakeAggregatorBundle(fake: FakeDemultiplexer = new FakeDemultiplexer()): Bundle {
  return bundle('aggregator', [provide(DEMULTIPLEXER, { useValue: fake })]);
}
