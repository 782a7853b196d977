import {
  decodeSeriesV2,
  decodeSeriesV2At,
  decodeSketchAt,
  decodeSketches,
  decompressBody,
  ProtoScanner,
  type DecodedMetricSeries,
  type DecodedSeriesV2Payload,
  type DecodedSketch,
  type DecodedSketchPayload,
  type ScannedSeries,
  type ScannedSketch,
} from '@agentkit/serializer';
import { FieldFramer } from './field-framer.js';
import { inflateChunks } from './inflate-stream.js';
import { RefusedContexts, type ContextKind } from './refused-contexts.js';

/**
 * The history's verdict on a scanned item: false when it will refuse it (a new context past its
 * limit), having counted it into `refused`; true when it may keep it (it is then decoded).
 */
export type Sift<Scanned> = (item: Scanned, refused: RefusedContexts) => boolean;

/** What the arrival check asks the history: a sift while it takes no new context (then a refusal now is one when stored), else undefined. */
export interface ArrivalSift {
  seriesSift(): Sift<ScannedSeries> | undefined;
  sketchSift(): Sift<ScannedSketch> | undefined;
}

/**
 * The wanted items of a sifted payload, kept (as fields) from its check to its store; past this,
 * the store inflates again. Small on purpose: inflating again costs little (reused buffers, the
 * thread pool), while every payload's kept bytes are external memory until V8's next scavenge
 * (1 MiB here, doubling from 16 KiB, raised a flush's ArrayBuffers by ~3 MB for no CPU saved).
 */
export const MAX_SIFTED_BYTES = 16 * 1024;
const MIN_SIFTED_BYTES = 4 * 1024;
/** Nothing kept yet: the first kept item allocates (most sifted payloads keep none). */
const NOTHING_SIFTED = Buffer.alloc(0);
/** `MetricPayload.series` and `SketchPayload.sketches` alike: field 1, length-delimited. */
const ITEM_FIELD_KEY = 0x0a;

/**
 * How one kind of payload is scanned item by item (over whole fields, allocating nothing),
 * one scanned item decoded, the payload decoded whole, and its items listed once decoded.
 */
interface ItemCodec<Item, Scanned, Payload> {
  readonly kind: ContextKind;
  scan(scanner: ProtoScanner, fields: Buffer, visit?: (item: Scanned) => void): number;
  decodeScanned(item: Scanned): Item;
  decode(raw: Buffer): Payload;
  items(payload: Payload): readonly Item[];
}

/**
 * Scans each item of a compressed series or sketches body as soon as its bytes are inflated:
 * the inflate stream's pieces go through a {@link FieldFramer} to the scanner, so at no time is
 * the payload inflated whole, and an item is only checked, not built. Returns how many items
 * there were; rejects with the decoder's `ERR_SERIALIZER_DECODE` (or the inflater's) like a
 * whole-buffer decode of the same body.
 */
async function streamItems<Scanned>(
  body: Buffer,
  contentEncoding: string | undefined,
  codec: ItemCodec<unknown, Scanned, unknown>,
  visit?: (item: Scanned) => void,
): Promise<number> {
  let items = 0;
  // One per pass: a scanner holds the item it hands on, and two passes may interleave.
  const scanner = new ProtoScanner();
  const framer = new FieldFramer((fields) => {
    items += codec.scan(scanner, fields, visit);
  });
  await inflateChunks(body, contentEncoding, (chunk) => framer.push(chunk));
  framer.end();
  return items;
}

/**
 * A series or sketches payload checked when it arrives but neither kept inflated nor decoded.
 * The bulk of a flush comes in these, and the history keeps a bounded few of their series. The
 * check inflates the body as a stream and scans each item as its bytes arrive (the serializer's
 * `ProtoScanner`: the decoder's checks, nothing built), and, when the history is full, sifts
 * them (see `check`); storing it scans what the sift kept, or inflates and scans again from the
 * compressed body (which the request holds anyway), and decodes only the items the history may
 * keep. So a payload costs its compressed body, one inflate chunk and its largest item, not
 * a buffer for its whole inflated size nor an object per item. A body that does not decode is
 * refused whole: the check runs to the end before anything is stored. `payload` (for observers
 * and fault plans) decodes the whole payload once, on first use, and then stands in for the body.
 */
class StreamedPayload<Item, Scanned extends { readonly bytes: Buffer; readonly start: number; readonly end: number }, Payload> {
  readonly #codec: ItemCodec<Item, Scanned, Payload>;
  readonly #body: Buffer;
  readonly #contentEncoding: string | undefined;
  #itemCount: number;
  #payload: Payload | undefined;
  /** Sifted on arrival: what the history will refuse (counted), and the other items' fields (`#siftedBytes` of them). */
  #refused: RefusedContexts | undefined;
  #sifted: Buffer | undefined;
  #siftedBytes = 0;

  protected constructor(body: Buffer, contentEncoding: string | undefined, codec: ItemCodec<Item, Scanned, Payload>) {
    this.#body = body;
    this.#contentEncoding = contentEncoding;
    this.#codec = codec;
    this.#itemCount = 0;
  }

  /** Items in the payload (counted by the check on arrival). */
  public get itemCount(): number {
    return this.#itemCount;
  }

  /**
   * Inflates and scans the body once; rejects with `ERR_SERIALIZER_DECODE` when malformed. With
   * a `sift` (the history takes no new context), the items it refuses are counted and dropped
   * here, and the others' bytes kept, so storing the payload needs no second inflate; should
   * they pass {@link MAX_SIFTED_BYTES}, nothing is kept and the store inflates again.
   */
  protected async check(sift: Sift<Scanned> | undefined): Promise<this> {
    if (sift === undefined) {
      this.#itemCount = await streamItems(this.#body, this.#contentEncoding, this.#codec);
      return this;
    }
    const refused = new RefusedContexts(this.#codec.kind);
    this.#sifted = NOTHING_SIFTED;
    this.#itemCount = await streamItems(this.#body, this.#contentEncoding, this.#codec, (item) => {
      if (this.#sifted !== undefined && sift(item, refused)) this.#keep(item);
    });
    if (this.#sifted !== undefined) this.#refused = refused;
    return this;
  }

  public get payload(): Payload {
    this.#payload ??= this.#codec.decode(decompressBody(this.#body, this.#contentEncoding));
    return this.#payload;
  }

  /** Each item, decoded as it is visited (none kept), in the payload's order; resolves to how many. */
  public forEach(visit: (item: Item) => void): Promise<number> {
    return this.forEachWanted(wantAll, visit, new RefusedContexts(this.#codec.kind));
  }

  /**
   * Each item in the payload's order: `sift` sees it scanned (not decoded; the view is reused,
   * read it there), and only the items it keeps are decoded and handed to `visit` (none kept);
   * what it refuses goes to `refused`, with what the arrival check refused. Once `payload` was
   * decoded, every item goes to `visit`. Resolves to how many items there were.
   */
  public async forEachWanted(sift: Sift<Scanned>, visit: (item: Item) => void, refused: RefusedContexts): Promise<number> {
    const codec = this.#codec;
    if (this.#payload !== undefined) {
      for (const item of codec.items(this.#payload)) visit(item);
      return this.#itemCount;
    }
    const each = (scanned: Scanned): void => {
      if (sift(scanned, refused)) visit(codec.decodeScanned(scanned));
    };
    if (this.#sifted === undefined || this.#refused === undefined) return streamItems(this.#body, this.#contentEncoding, codec, each);
    refused.absorb(this.#refused);
    codec.scan(new ProtoScanner(), this.#sifted.subarray(0, this.#siftedBytes), each);
    return this.#itemCount;
  }

  /** Appends the item's field (header and message) to the sifted bytes, or gives them up past the bound. */
  #keep(item: Scanned): void {
    const length = item.end - item.start;
    const need = this.#siftedBytes + 1 + 10 + length;
    let sifted = this.#sifted as Buffer;
    if (need > sifted.length) {
      if (need > MAX_SIFTED_BYTES) {
        this.#sifted = undefined;
        return;
      }
      const grown = Buffer.allocUnsafe(Math.min(MAX_SIFTED_BYTES, Math.max(2 * sifted.length, need, MIN_SIFTED_BYTES)));
      sifted.copy(grown, 0, 0, this.#siftedBytes);
      sifted = this.#sifted = grown;
    }
    let at = this.#siftedBytes;
    sifted[at++] = ITEM_FIELD_KEY;
    for (let v = length; ; v = Math.floor(v / 128)) {
      if (v < 128) {
        sifted[at++] = v;
        break;
      }
      sifted[at++] = (v % 128) | 0x80;
    }
    item.bytes.copy(sifted, at, item.start, item.end);
    this.#siftedBytes = at + length;
  }
}

const wantAll = (): boolean => true;

const SERIES_V2: ItemCodec<DecodedMetricSeries, ScannedSeries, DecodedSeriesV2Payload> = {
  kind: 'series',
  scan: (scanner, fields, visit) => scanner.seriesV2(fields, visit),
  decodeScanned: (s) => decodeSeriesV2At(s.bytes, s.start, s.end),
  decode: decodeSeriesV2,
  items: (p) => p.series,
};
const SKETCHES: ItemCodec<DecodedSketch, ScannedSketch, DecodedSketchPayload> = {
  kind: 'sketch',
  scan: (scanner, fields, visit) => scanner.sketches(fields, visit),
  decodeScanned: (s) => decodeSketchAt(s.bytes, s.start, s.end),
  decode: decodeSketches,
  items: (p) => p.sketches,
};

/** A `/api/v2/series` payload, streamed (see {@link StreamedPayload}). */
export class StreamedSeriesV2 extends StreamedPayload<DecodedMetricSeries, ScannedSeries, DecodedSeriesV2Payload> {
  public readonly kind = 'series_v2';

  private constructor(body: Buffer, contentEncoding: string | undefined) {
    super(body, contentEncoding, SERIES_V2);
  }

  /** Checks `body` (compressed as `contentEncoding` says) and keeps it, sifted by `sift` when given; rejects with `ERR_SERIALIZER_DECODE` or `ERR_SERIALIZER_CONTENT_ENCODING`. */
  public static read(body: Buffer, contentEncoding: string | undefined, sift?: ArrivalSift): Promise<StreamedSeriesV2> {
    return new StreamedSeriesV2(body, contentEncoding).check(sift?.seriesSift());
  }
}

/** A `/api/beta/sketches` payload, streamed (see {@link StreamedPayload}). */
export class StreamedSketches extends StreamedPayload<DecodedSketch, ScannedSketch, DecodedSketchPayload> {
  public readonly kind = 'sketches_v2';

  private constructor(body: Buffer, contentEncoding: string | undefined) {
    super(body, contentEncoding, SKETCHES);
  }

  /** As {@link StreamedSeriesV2.read}, for a sketches body. */
  public static read(body: Buffer, contentEncoding: string | undefined, sift?: ArrivalSift): Promise<StreamedSketches> {
    return new StreamedSketches(body, contentEncoding).check(sift?.sketchSift());
  }
}
