import type { Event, MetricSample, ServiceCheck } from '@agentkit/aggregator';

/**
 * Where `PacketParser` puts what it parses: the parser's own output contract, so it
 * depends on this interface and not on whoever collects (the server's `Batcher`).
 *
 * Called synchronously from `PacketParser.parse`, once per sample, event or service check, in
 * the order of the packet's lines. Each call passes ownership of the object: the parser never
 * reads or changes it again. The sink must not throw and must not call back into the parser.
 *
 * Hot path (millions of calls a second): keep one implementing class per process, so the
 * parser's call sites stay monomorphic and inline.
 */
export interface SampleSink {
  /** A sample to aggregate (no client timestamp, or a histogram's distribution copy). */
  sample(sample: MetricSample): void;
  /** A sample with a client timestamp (`|T`), for the no-aggregation pipeline. */
  timestamped(sample: MetricSample): void;
  event(event: Event): void;
  serviceCheck(check: ServiceCheck): void;
}
