import { bundle, provide, type Bundle } from '@agentkit/core';
import { ItemDetacher } from './item-detacher.js';
import type { Event, Serie, ServiceCheck, SketchSeries } from './metrics.def.js';
import { SERIALIZER, type Serializer } from './serializer.def.js';

/** Records everything handed to it, in order (pulling iterators to their end; items as plain data, see `ItemDetacher`). For testing the aggregator in isolation. */
export class FakeSerializer implements Serializer {
  public readonly series: Serie[] = [];
  readonly #detacher = new ItemDetacher();
  public readonly sketches: SketchSeries[] = [];
  public readonly events: Event[] = [];
  public readonly serviceChecks: ServiceCheck[] = [];
  /** How many times each method was called (one call per flush and kind). */
  public calls = { series: 0, sketches: 0, events: 0, serviceChecks: 0 };

  public sendSeries(series: Iterable<Serie>): Promise<void> {
    this.calls.series += 1;
    for (const serie of series) this.series.push(this.#detacher.detach(serie));
    return Promise.resolve();
  }

  public sendSketches(sketches: Iterable<SketchSeries>): Promise<void> {
    this.calls.sketches += 1;
    for (const sketch of sketches) this.sketches.push(this.#detacher.detach(sketch));
    return Promise.resolve();
  }

  public sendEvents(events: readonly Event[]): Promise<void> {
    this.calls.events += 1;
    this.events.push(...events);
    return Promise.resolve();
  }

  public sendServiceChecks(checks: readonly ServiceCheck[]): Promise<void> {
    this.calls.serviceChecks += 1;
    this.serviceChecks.push(...checks);
    return Promise.resolve();
  }

  /** Every series with this name. */
  public named(name: string): Serie[] {
    return this.series.filter((s) => s.name === name);
  }
}

/** A `serializer` bundle backed by `fake` (a new FakeSerializer unless given). */
export function fakeSerializerBundle(fake: FakeSerializer = new FakeSerializer()): Bundle {
  return bundle('serializer', [provide(SERIALIZER, { useValue: fake })]);
}
