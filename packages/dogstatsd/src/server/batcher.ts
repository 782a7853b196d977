import type { Demultiplexer, Event, MetricSample, ServiceCheck } from '@agentkit/aggregator';
import type { SampleSink } from '../parser/sample-sink.js';

/** Samples per `addSamples` call: large enough to amortise the call, small enough to stream. */
export const DEFAULT_SAMPLE_BATCH_SIZE = 256;

/**
 * The server's {@link SampleSink}: collects what the parser produces and hands it to the
 * demultiplexer in batches. The only sink class in the process, so the parser's calls stay
 * monomorphic. Each batch is a new array whose ownership passes to the demultiplexer.
 * `flush()` sends every partial batch; the server calls it after each queue drain, so nothing
 * waits here between drains.
 */
export class Batcher implements SampleSink {
  readonly #demux: Demultiplexer;
  readonly #batchSize: number;
  #samples: MetricSample[] = [];
  #timestamped: MetricSample[] = [];
  #events: Event[] = [];
  #serviceChecks: ServiceCheck[] = [];
  /** Everything handed to the demultiplexer so far, for telemetry. */
  public samplesOut = 0;
  public eventsOut = 0;
  public serviceChecksOut = 0;

  public constructor(demux: Demultiplexer, batchSize = DEFAULT_SAMPLE_BATCH_SIZE) {
    this.#demux = demux;
    this.#batchSize = batchSize;
  }

  public sample(sample: MetricSample): void {
    if (this.#samples.push(sample) >= this.#batchSize) this.#flushSamples();
  }

  /** A sample with a client timestamp, for the no-aggregation pipeline. */
  public timestamped(sample: MetricSample): void {
    if (this.#timestamped.push(sample) >= this.#batchSize) this.#flushTimestamped();
  }

  public event(event: Event): void {
    this.#events.push(event);
  }

  public serviceCheck(check: ServiceCheck): void {
    this.#serviceChecks.push(check);
  }

  /** Hands over every partial batch. The demultiplexer's calls return once it has accepted them. */
  public flush(): void {
    if (this.#samples.length > 0) this.#flushSamples();
    if (this.#timestamped.length > 0) this.#flushTimestamped();
    if (this.#events.length > 0) {
      const events = this.#events;
      this.#events = [];
      this.eventsOut += events.length;
      this.#demux.addEvents(events);
    }
    if (this.#serviceChecks.length > 0) {
      const checks = this.#serviceChecks;
      this.#serviceChecks = [];
      this.serviceChecksOut += checks.length;
      this.#demux.addServiceChecks(checks);
    }
  }

  #flushSamples(): void {
    const batch = this.#samples;
    this.#samples = [];
    this.samplesOut += batch.length;
    this.#demux.addSamples(batch);
  }

  #flushTimestamped(): void {
    const batch = this.#timestamped;
    this.#timestamped = [];
    this.samplesOut += batch.length;
    this.#demux.addTimestampedSamples(batch);
  }
}
