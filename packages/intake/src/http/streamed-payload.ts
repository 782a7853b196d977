import {
  decodeSeriesV2,
  decodeSketches,
  forEachSeriesV2,
  forEachSketch,
  type DecodedMetricSeries,
  type DecodedSeriesV2Payload,
  type DecodedSketch,
  type DecodedSketchPayload,
} from '@agentkit/serializer';

const ignore = (): void => {};

/** How one kind of payload is visited item by item, decoded whole, and listed once decoded. */
interface ItemCodec<Item, Payload> {
  forEach(raw: Buffer, visit: (item: Item) => void): number;
  decode(raw: Buffer): Payload;
  items(payload: Payload): readonly Item[];
}

/**
 * A series or sketches payload checked when it arrives but not kept decoded. The bulk of a flush
 * comes in these, and the history keeps a bounded few of their series: decoding every series
 * of a payload into one array first (~400 bytes each, tens of thousands per payload, several
 * payloads at once) promoted them all to the old heap, which the process then kept (the
 * embedded intake was half of a flush's RSS rise). Here each series is decoded when visited and
 * dropped at once. `payload` (for observers and fault plans) decodes the whole payload once, on
 * first use, and then stands in for the body.
 */
class StreamedPayload<Item, Payload> {
  /** Items in the payload (counted by the check on arrival). */
  public readonly itemCount: number;
  readonly #codec: ItemCodec<Item, Payload>;
  #raw: Buffer | undefined;
  #payload: Payload | undefined;

  /** Decodes `raw` (uncompressed) once to check it; throws `ERR_SERIALIZER_DECODE` when malformed. Keeps `raw`. */
  protected constructor(raw: Buffer, codec: ItemCodec<Item, Payload>) {
    this.itemCount = codec.forEach(raw, ignore);
    this.#codec = codec;
    this.#raw = raw;
  }

  public get payload(): Payload {
    if (this.#payload === undefined) {
      this.#payload = this.#codec.decode(this.#raw as Buffer);
      this.#raw = undefined;
    }
    return this.#payload;
  }

  /** Each item, decoded as it is visited (none kept); returns how many. */
  public forEach(visit: (item: Item) => void): number {
    if (this.#raw !== undefined) return this.#codec.forEach(this.#raw, visit);
    for (const item of this.#codec.items(this.payload)) visit(item);
    return this.itemCount;
  }
}

const SERIES_V2: ItemCodec<DecodedMetricSeries, DecodedSeriesV2Payload> = { forEach: forEachSeriesV2, decode: decodeSeriesV2, items: (p) => p.series };
const SKETCHES: ItemCodec<DecodedSketch, DecodedSketchPayload> = { forEach: forEachSketch, decode: decodeSketches, items: (p) => p.sketches };

/** A `/api/v2/series` payload, streamed (see {@link StreamedPayload}). */
export class StreamedSeriesV2 extends StreamedPayload<DecodedMetricSeries, DecodedSeriesV2Payload> {
  public readonly kind = 'series_v2';

  public constructor(raw: Buffer) {
    super(raw, SERIES_V2);
  }
}

/** A `/api/beta/sketches` payload, streamed (see {@link StreamedPayload}). */
export class StreamedSketches extends StreamedPayload<DecodedSketch, DecodedSketchPayload> {
  public readonly kind = 'sketches_v2';

  public constructor(raw: Buffer) {
    super(raw, SKETCHES);
  }
}
