import { RingBuffer, type DropCounter } from '@agentkit/core';
import type { DecodedMetricSeries, DecodedPayload, DecodedSketch, ScannedSeries, ScannedSketch } from '@agentkit/serializer';
import { StreamedSeriesV2, StreamedSketches, type ArrivalSift, type Sift } from '../http/streamed-payload.js';
import type {
  LocalEvent,
  LocalHost,
  LocalLog,
  LocalSeries,
  LocalServiceCheck,
  LocalDebuggerUpload,
  LocalSketch,
  LocalSymdbUpload,
} from '../local-intake/local-intake.def.js';
import { scannedSeriesHash, scannedSketchHash } from './context-hash.js';
import { HostStore } from './host-store.js';
import { fromV1, fromV2, toLocalCheck, toLocalEvent, toLocalLog } from './stored-shapes.js';
import { RefusedContexts, type ContextKind } from '../http/refused-contexts.js';
import { SeriesStore, type IncomingSeries } from './series-store.js';
import { SketchStore } from './sketch-store.js';

/** Symbol database batches kept (each is a small summary). */
export const SYMDB_UPLOADS_KEPT = 100;
/** Dynamic Instrumentation uploads kept (summaries too). */
export const DEBUGGER_UPLOADS_KEPT = 100;
/** Logs kept for the page (the latest), and how much of each message. */
export const LOGS_KEPT = 5000;
export { LOG_MESSAGE_KEPT_CHARS } from './stored-shapes.js';

export interface IntakeHistoryLimits {
  readonly maxPoints: number;
  readonly maxContexts: number;
  readonly maxEvents: number;
}

/** What the history holds now, by kind. (A type, not an interface: it is read as a record of numbers.) */
export type StoredCounts = {
  readonly series: number;
  readonly sketches: number;
  readonly events: number;
  readonly serviceChecks: number;
  readonly symdbUploads: number;
  readonly debuggerUploads: number;
  readonly hosts: number;
  readonly logs: number;
};

/**
 * Everything the intake keeps, bounded: series and distributions by identity, the latest
 * events, service checks and symdb batches, and each host's latest metadata. Turns decoded payloads into the stored shapes.
 * What is not kept (a new identity past the context limit, an invalid point) goes to `drops`.
 */
export class IntakeHistory implements ArrivalSift {
  readonly #series: SeriesStore;
  readonly #sketches: SketchStore;
  readonly #events: RingBuffer<LocalEvent>;
  readonly #checks: RingBuffer<LocalServiceCheck>;
  readonly #symdb = new RingBuffer<LocalSymdbUpload>(SYMDB_UPLOADS_KEPT);
  readonly #debugger = new RingBuffer<LocalDebuggerUpload>(DEBUGGER_UPLOADS_KEPT);
  readonly #hosts = new HostStore();
  readonly #logs = new RingBuffer<LocalLog>(LOGS_KEPT);
  readonly #drops: DropCounter;
  /** Old points, events and checks pushed out by the limits: history rolling on, not a loss. */
  #evicted = 0;
  /** The last payload's store: the next one starts once it has ended. */
  #storing: Promise<unknown> = Promise.resolve();

  public constructor(limits: IntakeHistoryLimits, drops: DropCounter) {
    this.#series = new SeriesStore(limits);
    this.#sketches = new SketchStore(limits);
    this.#events = new RingBuffer(limits.maxEvents);
    this.#checks = new RingBuffer(limits.maxEvents);
    this.#drops = drops;
  }

  public get evicted(): number {
    return this.#evicted;
  }

  /**
   * Stores a decoded payload received at `receivedAtMs`; resolves to how many items it held. A
   * streamed series or sketches payload is scanned item by item (from what its arrival check kept,
   * or inflated again), and only the items that may be kept are decoded, one at a time: a new
   * context past the limit is counted from its bytes. The rest is stored at once. Payloads
   * are stored one after the other, in the order `ingest` was called: a payload's items never
   * interleave with another's, so which of two points at one timestamp is kept, and which new
   * contexts fit under the limit, follow the order the payloads were accepted in.
   */
  public ingest(decoded: DecodedPayload, receivedAtMs: number): Promise<number> {
    const stored = this.#storing.then(() => this.#ingestNow(decoded, receivedAtMs));
    this.#storing = stored.catch(() => undefined);
    return stored;
  }

  async #ingestNow(decoded: DecodedPayload, receivedAtMs: number): Promise<number> {
    switch (decoded.kind) {
      case 'series_v2': {
        const visit = (s: DecodedMetricSeries): void => this.#addSeries(fromV2(s));
        if (decoded instanceof StreamedSeriesV2) return this.#storeStreamed(decoded, this.#siftSeries, visit, 'series');
        for (const s of decoded.payload.series) visit(s);
        return decoded.payload.series.length;
      }
      case 'series_v1':
        for (const s of decoded.payload.series) this.#addSeries(fromV1(s));
        return decoded.payload.series.length;
      case 'sketches_v2': {
        const visit = (s: DecodedSketch): void => this.#addSketch(s);
        if (decoded instanceof StreamedSketches) return this.#storeStreamed(decoded, this.#siftSketch, visit, 'sketch');
        for (const s of decoded.payload.sketches) visit(s);
        return decoded.payload.sketches.length;
      }
      case 'intake': {
        let n = 0;
        for (const group of Object.values(decoded.payload.events)) {
          for (const e of group) {
            if (this.#events.pushOverwrite(toLocalEvent(e, receivedAtMs))) this.#evicted++;
            n++;
          }
        }
        return n;
      }
      case 'check_run_v1':
        for (const c of decoded.payload) if (this.#checks.pushOverwrite(toLocalCheck(c, receivedAtMs))) this.#evicted++;
        return decoded.payload.length;
      case 'host_metadata':
        if (this.#hosts.add(decoded.payload, receivedAtMs)) this.#evicted++;
        return 1;
      case 'logs':
        for (const log of decoded.payload) if (this.#logs.pushOverwrite(toLocalLog(log, receivedAtMs))) this.#evicted++;
        return decoded.payload.length;
    }
  }

  /**
   * For the arrival check of a series payload: a sift while the series store is full, else
   * undefined. A full store never takes a new context (nothing is removed), so what the sift
   * refuses now is refused when the payload is stored, whatever is stored in between.
   */
  public seriesSift(): Sift<ScannedSeries> | undefined {
    return this.#series.full ? this.#siftSeries : undefined;
  }

  /** {@link seriesSift} for sketches. */
  public sketchSift(): Sift<ScannedSketch> | undefined {
    return this.#sketches.full ? this.#siftSketch : undefined;
  }

  /** A series of a new context past the limit is counted from its bytes, never decoded (most of a large flush). */
  readonly #siftSeries: Sift<ScannedSeries> = (s, refused) => {
    const hash = scannedSeriesHash(s);
    if (hash === undefined || !this.#series.refusesNew(hash)) return true;
    refused.add(s.bytes, s.metricStart, s.metricEnd);
    return false;
  };

  readonly #siftSketch: Sift<ScannedSketch> = (s, refused) => {
    const hash = scannedSketchHash(s);
    if (hash === undefined || !this.#sketches.refusesNew(hash)) return true;
    if (s.distributionCount > 0) refused.legacy(s.distributionCount, s.bytes, s.metricStart, s.metricEnd);
    refused.add(s.bytes, s.metricStart, s.metricEnd);
    return false;
  };

  async #storeStreamed<Item, Scanned>(
    payload: { forEachWanted(sift: Sift<Scanned>, visit: (item: Item) => void, refused: RefusedContexts): Promise<number> },
    sift: Sift<Scanned>,
    visit: (item: Item) => void,
    kind: ContextKind,
  ): Promise<number> {
    const refused = new RefusedContexts(kind);
    const items = await payload.forEachWanted(sift, visit, refused);
    refused.report(this.#drops);
    return items;
  }

  public addSymdbUpload(upload: LocalSymdbUpload): void {
    if (this.#symdb.pushOverwrite(upload)) this.#evicted++;
  }

  public addDebuggerUpload(upload: LocalDebuggerUpload): void {
    if (this.#debugger.pushOverwrite(upload)) this.#evicted++;
  }

  public debuggerUploads(): LocalDebuggerUpload[] {
    return this.#debugger.toArray();
  }

  public series(metric?: string): LocalSeries[] {
    return this.#series.list(metric);
  }

  public sketches(metric?: string): LocalSketch[] {
    return this.#sketches.list(metric);
  }

  public events(): LocalEvent[] {
    return this.#events.toArray();
  }

  public serviceChecks(): LocalServiceCheck[] {
    return this.#checks.toArray();
  }

  public symdbUploads(): LocalSymdbUpload[] {
    return this.#symdb.toArray();
  }

  public hosts(): LocalHost[] {
    return this.#hosts.list();
  }

  public logs(): LocalLog[] {
    return this.#logs.toArray();
  }

  public counts(): StoredCounts {
    return {
      series: this.#series.size,
      sketches: this.#sketches.size,
      events: this.#events.length,
      serviceChecks: this.#checks.length,
      symdbUploads: this.#symdb.length,
      debuggerUploads: this.#debugger.length,
      hosts: this.#hosts.size,
      logs: this.#logs.length,
    };
  }

  #addSketch(s: DecodedSketch): void {
    if (s.distributionCount > 0) this.#drops.drop('legacy_distribution', s.distributionCount, { metric: s.metric });
    const result = this.#sketches.add(s);
    if (!result.stored) this.#drops.drop('context_limit', 1, { metric: s.metric, kind: 'sketch' });
    this.#evicted += result.pointsEvicted;
  }

  #addSeries(series: IncomingSeries): void {
    const result = this.#series.add(series);
    if (!result.stored) {
      this.#drops.drop('context_limit', 1, { metric: series.metric, kind: 'series' });
      return;
    }
    if (result.pointsInvalid > 0) this.#drops.drop('invalid_point', result.pointsInvalid, { metric: series.metric });
    this.#evicted += result.pointsEvicted;
  }
}
