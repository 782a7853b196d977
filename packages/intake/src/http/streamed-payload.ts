import {
  decodeSeriesV2,
  decodeSketches,
  decompressBody,
  forEachSeriesV2,
  forEachSketch,
  type DecodedMetricSeries,
  type DecodedSeriesV2Payload,
  type DecodedSketch,
  type DecodedSketchPayload,
} from '@agentkit/serializer';
import { FieldFramer } from './field-framer.js';
import { inflateChunks } from './inflate-stream.js';

const ignore = (): void => {};

/** How one kind of payload is visited item by item (over whole fields), decoded whole, and listed once decoded. */
interface ItemCodec<Item, Payload> {
  forEach(fields: Buffer, visit: (item: Item) => void): number;
  decode(raw: Buffer): Payload;
  items(payload: Payload): readonly Item[];
}

/**
 * Visits each item of a compressed series or sketches body as soon as its bytes are inflated:
 * the inflate stream's pieces go through a {@link FieldFramer} to the codec's decoder, so at no
 * time is the payload inflated whole. Returns how many items there were; rejects with the
 * decoder's `ERR_SERIALIZER_DECODE` (or the inflater's) like a whole-buffer decode of the same body.
 */
async function streamItems<Item>(body: Buffer, contentEncoding: string | undefined, codec: ItemCodec<Item, unknown>, visit: (item: Item) => void): Promise<number> {
  let items = 0;
  const framer = new FieldFramer((fields) => {
    items += codec.forEach(fields, visit);
  });
  await inflateChunks(body, contentEncoding, (chunk) => framer.push(chunk));
  framer.end();
  return items;
}

/**
 * A series or sketches payload checked when it arrives but neither kept inflated nor decoded.
 * The bulk of a flush comes in these, and the history keeps a bounded few of their series. The
 * check inflates the body as a stream and decodes each item as its bytes arrive, dropping it at
 * once; storing it does the same again from the compressed body (which the request holds
 * anyway). So a payload costs its compressed body, one inflate chunk and one item, not a buffer
 * for its whole inflated size (sized ×32 from the compressed length: several MB of external
 * memory per payload in flight during a flush, kept until a full GC) nor an array of its items. A body that does not decode is refused
 * whole: the check runs to the end before anything is stored. `payload` (for observers and
 * fault plans) decodes the whole payload once, on first use, and then stands in for the body.
 */
class StreamedPayload<Item, Payload> {
  readonly #codec: ItemCodec<Item, Payload>;
  readonly #body: Buffer;
  readonly #contentEncoding: string | undefined;
  #itemCount: number;
  #payload: Payload | undefined;

  protected constructor(body: Buffer, contentEncoding: string | undefined, codec: ItemCodec<Item, Payload>) {
    this.#body = body;
    this.#contentEncoding = contentEncoding;
    this.#codec = codec;
    this.#itemCount = 0;
  }

  /** Items in the payload (counted by the check on arrival). */
  public get itemCount(): number {
    return this.#itemCount;
  }

  /** Inflates and decodes the body once, keeping nothing; rejects with `ERR_SERIALIZER_DECODE` when malformed. */
  protected async check(): Promise<this> {
    this.#itemCount = await streamItems(this.#body, this.#contentEncoding, this.#codec, ignore);
    return this;
  }

  public get payload(): Payload {
    this.#payload ??= this.#codec.decode(decompressBody(this.#body, this.#contentEncoding));
    return this.#payload;
  }

  /** Each item, decoded as it is visited (none kept), in the payload's order; resolves to how many. */
  public async forEach(visit: (item: Item) => void): Promise<number> {
    if (this.#payload === undefined) return streamItems(this.#body, this.#contentEncoding, this.#codec, visit);
    for (const item of this.#codec.items(this.#payload)) visit(item);
    return this.#itemCount;
  }
}

const SERIES_V2: ItemCodec<DecodedMetricSeries, DecodedSeriesV2Payload> = { forEach: forEachSeriesV2, decode: decodeSeriesV2, items: (p) => p.series };
const SKETCHES: ItemCodec<DecodedSketch, DecodedSketchPayload> = { forEach: forEachSketch, decode: decodeSketches, items: (p) => p.sketches };

/** A `/api/v2/series` payload, streamed (see {@link StreamedPayload}). */
export class StreamedSeriesV2 extends StreamedPayload<DecodedMetricSeries, DecodedSeriesV2Payload> {
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
export class StreamedSketches extends StreamedPayload<DecodedSketch, DecodedSketchPayload> {
  public readonly kind = 'sketches_v2';

  private constructor(body: Buffer, contentEncoding: string | undefined) {
    super(body, contentEncoding, SKETCHES);
  }

  /** As {@link StreamedSeriesV2.read}, for a sketches body. */
  public static read(body: Buffer, contentEncoding: string | undefined): Promise<StreamedSketches> {
    return new StreamedSketches(body, contentEncoding).check();
  }
}
