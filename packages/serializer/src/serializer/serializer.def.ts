import { token } from '@agentkit/core';
import type { Event, Serie, ServiceCheck, SketchSeries } from './metrics.def.js';

/**
 * Turns flushed metrics into compressed, size-limited payloads and submits them to the
 * forwarder it injects. Injected by the aggregator, so it starts before the aggregator and
 * stops after it, still accepting the aggregator's final flush.
 *
 * Each method resolves once every payload made from its input has been submitted to the
 * forwarder (the aggregator's stop waits on that). It never rejects: an item too big for any
 * payload, or input after stop, is counted and logged with its reason. The arrays passed are
 * read during the call and the promise; the caller must not modify them until it resolves.
 *
 * Series and sketches may come as any iterable (the aggregator passes an iterator that builds
 * each serie as it is pulled): it is iterated once, lazily, while the payloads are encoded, with
 * turns of the event loop in between; each item is encoded when pulled and not retained, so a
 * flush never holds all its series at once. An iterator's item may be a reused object, valid
 * only until the next is pulled (the aggregator's are): an implementation that keeps items
 * copies them (`ItemDetacher`).
 */
export interface Serializer {
  sendSeries(series: Iterable<Serie>): Promise<void>;
  sendSketches(sketches: Iterable<SketchSeries>): Promise<void>;
  sendEvents(events: readonly Event[]): Promise<void>;
  sendServiceChecks(checks: readonly ServiceCheck[]): Promise<void>;
}

export const SERIALIZER = token<Serializer>('Serializer');
