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

/**
 * How one kind of payload is scanned item by item (over whole fields, allocating nothing),
 * one scanned item decoded, the payload decoded whole, and its items listed once decoded.
 */
interface ItemCodec<Item, Scanned, Payload> {
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
 * `ProtoScanner`: the decoder's checks, nothing built); storing it inflates and scans again from
 * the compressed body (which the request holds anyway), and decodes only the items the history
 * may keep. So a payload costs its compressed body, one inflate chunk and its largest item, not
 * a buffer for its whole inflated size nor an object per item. A body that does not decode is
 * refused whole: the check runs to the end before anything is stored. `payload` (for observers
 * and fault plans) decodes the whole payload once, on first use, and then stands in for the body.
 */
class StreamedPayload<Item, Scanned, Payload> {
  readonly #codec: ItemCodec<Item, Scanned, Payload>;
  readonly #body: Buffer;
  readonly #contentEncoding: string | undefined;
  #itemCount: number;
  #payload: Payload | undefined;

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

  /** Inflates and scans the body once, keeping nothing; rejects with `ERR_SERIALIZER_DECODE` when malformed. */
  protected async check(): Promise<this> {
    this.#itemCount = await streamItems(this.#body, this.#contentEncoding, this.#codec);
    return this;
  }

  public get payload(): Payload {
    this.#payload ??= this.#codec.decode(decompressBody(this.#body, this.#contentEncoding));
    return this.#payload;
  }

  /** Each item, decoded as it is visited (none kept), in the payload's order; resolves to how many. */
  public forEach(visit: (item: Item) => void): Promise<number> {
    return this.forEachWanted(wantAll, visit);
  }

  /**
   * Each item in the payload's order: `wanted` sees it scanned (not decoded; the view is reused,
   * read it there), and only the items it wants are decoded and handed to `visit` (none kept).
   * Once `payload` was decoded, every item goes to `visit`. Resolves to how many items there were.
   */
  public async forEachWanted(wanted: (item: Scanned) => boolean, visit: (item: Item) => void): Promise<number> {
    if (this.#payload !== undefined) {
      for (const item of this.#codec.items(this.#payload)) visit(item);
      return this.#itemCount;
    }
    const codec = this.#codec;
    return streamItems(this.#body, this.#contentEncoding, codec, (scanned) => {
      if (wanted(scanned)) visit(codec.decodeScanned(scanned));
    });
  }
}

const wantAll = (): boolean => true;

const SERIES_V2: ItemCodec<DecodedMetricSeries, ScannedSeries, DecodedSeriesV2Payload> = {
  scan: (scanner, fields, visit) => scanner.seriesV2(fields, visit),
  decodeScanned: (s) => decodeSeriesV2At(s.bytes, s.start, s.end),
  decode: decodeSeriesV2,
  items: (p) => p.series,
};
const SKETCHES: ItemCodec<DecodedSketch, ScannedSketch, DecodedSketchPayload> = {
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

  /** Checks `body` (compressed as `contentEncoding` says) and keeps it; rejects with `ERR_SERIALIZER_DECODE` or `ERR_SERIALIZER_CONTENT_ENCODING`. */
  public static read(body: Buffer, contentEncoding: string | undefined): Promise<StreamedSeriesV2> {
    return new StreamedSeriesV2(body, contentEncoding).check();
  }
}

/** A `/api/beta/sketches` payload, streamed (see {@link StreamedPayload}). */
export class StreamedSketches extends StreamedPayload<DecodedSketch, ScannedSketch, DecodedSketchPayload> {
  public readonly kind = 'sketches_v2';

  private constructor(body: Buffer, contentEncoding: string | undefined) {
    super(body, contentEncoding, SKETCHES);
  }

  /** As {@link StreamedSeriesV2.read}, for a sketches body. */
  public static read(body: Buffer, contentEncoding: string | undefined): Promise<StreamedSketches> {
    return new StreamedSketches(body, contentEncoding).check();
  }
}
