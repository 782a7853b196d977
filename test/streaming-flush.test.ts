import { describe, expect, it } from '@jest/globals';
import { aggregatorBundle, DEMULTIPLEXER, type MetricSample } from '@agentkit/aggregator';
import { allConfigKeys } from '@agentkit/agent';
import { loadConfig } from '@agentkit/config';
import { bundle, provide, silentLogger } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { FakeForwarder, type Payload } from '@agentkit/forwarder';
import { decodePayload, PayloadSerializer, SERIALIZER, type Event, type Serie, type Serializer, type ServiceCheck, type SketchSeries } from '@agentkit/serializer';

const CONTEXTS = 2_000;

/** The real serializer, counting how many items it has pulled from what the aggregator hands it. */
class PullCountingSerializer implements Serializer {
  public pulled = { series: 0, sketches: 0 };
  /** Whether each input was an array (a materialised flush) or an iterator. */
  public readonly arrays: boolean[] = [];
  readonly #inner: PayloadSerializer;

  public constructor(inner: PayloadSerializer) {
    this.#inner = inner;
  }

  public sendSeries(series: Iterable<Serie>): Promise<void> {
    this.arrays.push(Array.isArray(series));
    return this.#inner.sendSeries(this.#counted(series, 'series'));
  }

  public sendSketches(sketches: Iterable<SketchSeries>): Promise<void> {
    this.arrays.push(Array.isArray(sketches));
    return this.#inner.sendSketches(this.#counted(sketches, 'sketches'));
  }

  public sendEvents(events: readonly Event[]): Promise<void> {
    return this.#inner.sendEvents(events);
  }

  public sendServiceChecks(checks: readonly ServiceCheck[]): Promise<void> {
    return this.#inner.sendServiceChecks(checks);
  }

  public onStop(): Promise<void> {
    return this.#inner.onStop();
  }

  *#counted<T>(items: Iterable<T>, kind: 'series' | 'sketches'): Generator<T> {
    for (const item of items) {
      this.pulled[kind]++;
      yield item;
    }
  }
}

/** Records, with each payload, how many items the serializer had pulled when it was submitted. */
class PullRecordingForwarder extends FakeForwarder {
  public serializer: PullCountingSerializer | undefined;
  public readonly pulledAtSubmit: { endpoint: Payload['endpoint']; series: number; sketches: number }[] = [];

  public override submit(payload: Payload): void {
    const pulled = this.serializer?.pulled ?? { series: 0, sketches: 0 };
    this.pulledAtSubmit.push({ endpoint: payload.endpoint, ...pulled });
    super.submit(payload);
  }
}

describe('the flush, with many contexts', () => {
  it('streams series and sketches into payloads: the first is submitted before the last context is visited', async () => {
    const config = loadConfig({
      keys: allConfigKeys,
      env: {
        DD_HOSTNAME: 'stream-host',
        DD_AGGREGATOR_FLUSH_INTERVAL: '3600', // only the stop's flush
        DD_SERIALIZER_COMPRESSOR_KIND: 'zlib',
        // Small payloads, so one flush makes many of them.
        DD_SERIALIZER_MAX_SERIES_POINTS_PER_PAYLOAD: '100',
        DD_SERIALIZER_MAX_UNCOMPRESSED_PAYLOAD_SIZE: '20000',
      },
    });
    const forwarder = new PullRecordingForwarder();
    const serializer = new PullCountingSerializer(new PayloadSerializer(forwarder, config, silentLogger));
    forwarder.serializer = serializer;
    const app = createTestApp([aggregatorBundle, bundle('serializer', [provide(SERIALIZER, { useValue: serializer })])], { config });
    await app.start();
    const demux = app.get(DEMULTIPLEXER);
    const now = Date.now() / 1000;
    const samples: MetricSample[] = [];
    for (let i = 0; i < CONTEXTS; i++) {
      const tags = [`ctx:${i}`, 'env:test'];
      samples.push({ name: 'stream.gauge', type: 'gauge', value: i, timestamp: now, tags, host: 'h', sampleRate: 1 });
      samples.push({ name: 'stream.dist', type: 'distribution', value: i, timestamp: now, tags, host: 'h', sampleRate: 1 });
    }
    demux.addSamples(samples);
    await app.stop();

    // The serializer got iterators, not arrays of the whole flush.
    expect(serializer.arrays).toEqual([false, false]);
    expect(serializer.pulled).toEqual({ series: CONTEXTS, sketches: CONTEXTS });
    for (const endpoint of ['series_v2', 'sketches_v2'] as const) {
      const kind = endpoint === 'series_v2' ? 'series' : 'sketches';
      const submits = forwarder.pulledAtSubmit.filter((s) => s.endpoint === endpoint);
      // More than the serializer leaves compressing (4), so the first is submitted mid-flush.
      expect(submits.length).toBeGreaterThan(5);
      expect((submits[0] as (typeof submits)[number])[kind]).toBeLessThan(CONTEXTS);
      // Every context arrives, each once.
      const payloads = forwarder.for(endpoint);
      expect(payloads.reduce((n, p) => n + p.itemCount, 0)).toBe(CONTEXTS);
    }
    const first = forwarder.for('series_v2')[0] as Payload;
    const decoded = decodePayload('/api/v2/series', first.headers, first.body);
    expect(decoded.kind).toBe('series_v2');
  });
});
