import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CONFIG, DropCounter, LOGGER, inject, injectable, monotonicNowMs } from '@agentkit/core';
import type { ConfigReader, Logger, TelemetrySnapshot, TelemetrySource } from '@agentkit/core';
import { resolveHostname } from '@agentkit/config';
import { FORWARDER } from '@agentkit/forwarder';
import type { Forwarder } from '@agentkit/forwarder';
import { createCompressor } from '../compression/compressor.js';
import { serializerKeys } from '../config-keys.js';
import {
  eventGroupKey,
  eventsFormat,
  seriesV1Format,
  serviceChecksFormat,
  writeEvent,
  writeSeriesV1,
  writeServiceCheck,
} from '../encode/json-formats.js';
import { seriesV2Format, writeSeriesV2 } from '../encode/series-v2.js';
import { sketchesFormat, writeSketch } from '../encode/sketches.js';
import { PayloadBuilder } from '../payload/payload-builder.js';
import { PayloadStats } from '../payload/payload-target.js';
import type { PayloadFormat, PayloadHandler, PayloadLimits, PayloadTarget } from '../payload/payload-target.js';
import type { ProtoWriter } from '../protobuf/proto-writer.js';
import type { Event, Serie, ServiceCheck, SketchSeries } from './metrics.def.js';
import type { Serializer } from './serializer.def.js';

/** Longest stretch of encoding before yielding to the event loop. */
const YIELD_AFTER_MS = 5;
const YIELD_CHECK_ITEMS = 256;

type PayloadKind = 'series' | 'sketches' | 'events' | 'service_checks';

interface Targets {
  readonly seriesV2: PayloadTarget;
  readonly seriesV1: PayloadTarget;
  readonly sketches: PayloadTarget;
  readonly events: PayloadTarget;
  readonly serviceChecks: PayloadTarget;
}

/**
 * The Datadog wire formats: series v2 protobuf (or v1 JSON), sketches protobuf, events and
 * service checks JSON, compressed per `serializer_compressor_kind` and split by the
 * `serializer_max_*` limits. Encoding runs on the event loop and yields to it every few
 * milliseconds; each payload is compressed as it is encoded, on libuv's thread pool.
 */
@injectable()
export class PayloadSerializer implements Serializer, TelemetrySource {
  readonly #log: Logger;
  readonly #drops: DropCounter;
  /** Where every payload the builders return goes: the serializer is the one that submits. */
  readonly #submit: PayloadHandler;
  readonly #stats = new PayloadStats();
  readonly #targets: Targets;
  readonly #useV2Series: boolean;
  readonly #enabled: Readonly<Record<PayloadKind, boolean>>;
  readonly #disabled: Record<PayloadKind, number> = { series: 0, sketches: 0, events: 0, service_checks: 0 };
  readonly #inflight = new Set<Promise<void>>();
  #skippedNoIndex = 0;
  #stopped = false;

  public constructor(
    @inject(FORWARDER) forwarder: Forwarder,
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
  ) {
    this.#log = logger.child({ component: 'Serializer' });
    this.#drops = new DropCounter(this.#log);
    this.#submit = (payload) => forwarder.submit(payload);
    const compressor = createCompressor(config.get(serializerKeys.compressorKind), {
      zstdLevel: config.get(serializerKeys.zstdCompressorLevel),
      logger: this.#log,
    });
    const general: PayloadLimits = {
      maxCompressedBytes: config.get(serializerKeys.maxPayloadSize),
      maxUncompressedBytes: config.get(serializerKeys.maxUncompressedPayloadSize),
      maxPoints: Infinity,
    };
    const seriesV2Limits: PayloadLimits = {
      maxCompressedBytes: config.get(serializerKeys.maxSeriesPayloadSize),
      maxUncompressedBytes: config.get(serializerKeys.maxSeriesUncompressedPayloadSize),
      maxPoints: config.get(serializerKeys.maxSeriesPointsPerPayload),
    };
    const target = (format: PayloadFormat, limits: PayloadLimits): PayloadTarget => ({
      format,
      limits,
      compressor,
      drops: this.#drops,
      stats: this.#stats,
    });
    this.#targets = {
      seriesV2: target(seriesV2Format, seriesV2Limits),
      seriesV1: target(seriesV1Format, general),
      sketches: target(sketchesFormat, general),
      events: target(eventsFormat(resolveHostname(config)), general),
      serviceChecks: target(serviceChecksFormat, general),
    };
    this.#useV2Series = config.get(serializerKeys.useV2ApiSeries);
    this.#enabled = {
      series: config.get(serializerKeys.enablePayloadsSeries),
      sketches: config.get(serializerKeys.enablePayloadsSketches),
      events: config.get(serializerKeys.enablePayloadsEvents),
      service_checks: config.get(serializerKeys.enablePayloadsServiceChecks),
    };
    this.#log.debug({ compressor: compressor.kind, useV2Series: this.#useV2Series }, 'serializer ready');
  }

  public sendSeries(series: Iterable<Serie>): Promise<void> {
    return this.#run('series', series, () => {
      if (this.#useV2Series) return this.#encode(this.#targets.seriesV2, series, writeSeriesV2, (s) => s.points.length);
      return this.#encode(this.#targets.seriesV1, this.#visible(series), writeSeriesV1, (s) => s.points.length);
    });
  }

  public sendSketches(sketches: Iterable<SketchSeries>): Promise<void> {
    return this.#run('sketches', sketches, () => this.#encode(this.#targets.sketches, sketches, writeSketch, (s) => s.points.length));
  }

  public sendEvents(events: readonly Event[]): Promise<void> {
    return this.#run('events', events, () => {
      // One JSON group per source type: encode them grouped (a stable sort keeps their order).
      const keyed = events.map((event) => ({ event, key: eventGroupKey(event) }));
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return this.#encode(
        this.#targets.events,
        keyed,
        (w, item) => writeEvent(w, item.event),
        () => 1,
        (item) => item.key,
      );
    });
  }

  public sendServiceChecks(checks: readonly ServiceCheck[]): Promise<void> {
    return this.#run('service_checks', checks, () => this.#encode(this.#targets.serviceChecks, checks, writeServiceCheck, () => 1));
  }

  /** Waits for every batch being serialized, then refuses (and counts) anything more. */
  public async onStop(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all(this.#inflight);
    this.#stopped = true;
    this.#drops.flushLog();
  }

  public telemetry(): TelemetrySnapshot {
    const stats = this.#stats;
    const out: Record<string, number> = {
      items: stats.items,
      'bytes.uncompressed': stats.uncompressedBytes,
      'bytes.compressed': stats.compressedBytes,
      repacks: stats.repacks,
      // Batches being encoded and compressed (a queue depth: they hold memory until submitted).
      batches_in_flight: this.#inflight.size,
      'skipped.no_index_v1': this.#skippedNoIndex,
      ...this.#drops.snapshot(),
    };
    for (const [endpoint, n] of stats.byEndpoint) out[`payloads.${endpoint}`] = n;
    for (const [kind, n] of Object.entries(this.#disabled)) if (n > 0) out[`disabled.${kind}`] = n;
    return out;
  }

  #run(kind: PayloadKind, items: Iterable<unknown>, work: () => Promise<void>): Promise<void> {
    if (Array.isArray(items) && items.length === 0) return Promise.resolve();
    if (this.#stopped || !this.#enabled[kind]) {
      // Pulled only to be counted: a stream's items are built one at a time and dropped.
      const count = countOf(items);
      if (count === 0) return Promise.resolve();
      if (this.#stopped) this.#drops.drop('stopped', count, { kind });
      else this.#disabled[kind] += count;
      return Promise.resolve();
    }
    const done = Promise.resolve().then(work).catch((error: unknown) => {
      // Not expected (each item's encoding is guarded): count the batch (of a stream: what is
      // left of it) rather than reject.
      this.#drops.drop('serialize_failed', countOf(items), { kind, error });
    });
    this.#inflight.add(done);
    void done.finally(() => this.#inflight.delete(done));
    return done;
  }

  /** The series the v1 API takes: it has no hidden series, the Datadog Agent leaves them out. */
  *#visible(series: Iterable<Serie>): Generator<Serie, void, undefined> {
    for (const serie of series) {
      if (serie.noIndex === true) this.#skippedNoIndex++;
      else yield serie;
    }
  }

  async #encode<T>(
    target: PayloadTarget,
    items: Iterable<T>,
    write: (w: ProtoWriter, item: T) => void,
    points: (item: T) => number,
    key?: (item: T) => string,
  ): Promise<void> {
    // Each payload is compressed as it is written and submitted as soon as it is finished (and
    // every one before it): the batch holds compressed bytes, never its payloads uncompressed.
    const builder = new PayloadBuilder(target, this.#submit);
    let sinceYield = 0;
    let yieldedAt = monotonicNowMs();
    for (const item of items) {
      builder.beginItem();
      try {
        write(builder.writer, item);
      } catch (error) {
        builder.abortItem();
        this.#drops.drop('encode_failed', 1, { endpoint: target.format.endpoint, error });
        continue;
      }
      // A promise when the builder waits for the compressor (the batch's back-pressure: items
      // may be a stream built as it is pulled, and must not pile up behind the thread pool).
      const waiting = builder.endItem(points(item), key?.(item));
      if (waiting !== undefined) await waiting;
      // Yield to the event loop every few milliseconds of encoding, so sockets are still read
      // while a big flush is serialized (the clock is read once per YIELD_CHECK_ITEMS items).
      if (++sinceYield >= YIELD_CHECK_ITEMS) {
        sinceYield = 0;
        if (monotonicNowMs() - yieldedAt >= YIELD_AFTER_MS) {
          await yieldToEventLoop();
          yieldedAt = monotonicNowMs();
        }
      }
    }
    // Resolves once every payload of the batch was submitted: what `send*` promises.
    await builder.finish();
  }
}

/** How many items `items` holds (what is left of it, for an iterator); an array is not iterated. */
function countOf(items: Iterable<unknown>): number {
  if (Array.isArray(items)) return items.length;
  let n = 0;
  for (const _ of items) n++;
  return n;
}
