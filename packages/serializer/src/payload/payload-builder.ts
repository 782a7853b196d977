import type { Payload } from '@agentkit/forwarder';
import type { CompressionStream } from '../compression/compression-stream.js';
import type { Compressor } from '../compression/compressor.js';
import { ProtoWriter } from '../protobuf/proto-writer.js';
import type { PayloadFormat, PayloadHandler, PayloadTarget } from './payload-target.js';

/**
 * How many times one payload's pending bytes are compressed to see whether one more item fits,
 * before the payload is cut: CPU (a flush each) against fuller payloads. The Datadog Agent's
 * `maxRepacks` (pkg/serializer/internal/stream/compressor.go).
 */
const MAX_REPACKS = 40;
/**
 * Staged bytes handed to the compressor as soon as there are this many: the thread pool starts
 * early, and what a builder holds uncompressed stays at STAGES of these.
 */
export const PACK_BYTES = 128 * 1024;
/**
 * Staging buffers per builder (1 MiB): how far encoding may run ahead of compression. A
 * payload's stream compresses on one thread; running ahead into the next payload keeps a second
 * thread busy (bench/drain's serializer: 2 buffers of 64 KiB took twice as long as before the
 * streams; 8 and 12 of 128 KiB were alike: docs/benchmarks.md).
 */
export const STAGES = 8;
const ITEM_INITIAL_BYTES = 4 * 1024;
const EMPTY = Buffer.alloc(0);

/** A buffer the builder stages bytes in; `busy` while a compressor reads it. */
interface Stage {
  readonly writer: ProtoWriter;
  busy: Promise<void> | undefined;
}

/** The payload being filled. */
class OpenPayload {
  public readonly stream: CompressionStream;
  public items = 0;
  public points = 0;
  /** Uncompressed bytes given to it so far (head, separators, items; staged or packed). */
  public uncompressedBytes = 0;
  /** The most output of packs whose output is not all counted yet. */
  public unconfirmedBound = 0;
  public lastKey: string | undefined;
  public repacks = 0;

  public constructor(stream: CompressionStream) {
    this.stream = stream;
  }
}

type Fit = 'fits' | 'full' | 'compressed';

/**
 * Cuts one batch of items into payloads within the limits, compressing each payload as its
 * items are added (a compression stream per payload, on the thread pool), and hands each
 * finished payload to its {@link PayloadHandler}, in order. A batch holds at most
 * {@link STAGES} staging buffers of {@link PACK_BYTES}, the compressed bytes and codec state of
 * the payloads not yet finished, and one item: never a whole uncompressed payload. It submits
 * nothing itself.
 *
 * Before an item is added it must fit, as the Datadog Agent checks: the uncompressed bytes and
 * points within their limits, and the compressed output so far plus the codec's bound on every
 * byte not yet compressed within the compressed limit. When only the bound fails, the pending
 * bytes are compressed (a repack, at most {@link MAX_REPACKS} per payload) and the exact size
 * checked again; otherwise the payload is cut. An item that cannot fit a payload on its own is
 * dropped and counted (`too_big`), as the Agent does.
 */
export class PayloadBuilder {
  /** Where an item is encoded when it cannot go straight into a stage (then it is copied). */
  readonly #scratch = new ProtoWriter(ITEM_INITIAL_BYTES);
  /** What `writer` is for the item being written: the current stage (direct) or the scratch. */
  #itemWriter: ProtoWriter = this.#scratch;
  /** Where the item starts in `#itemWriter`. */
  #itemStart = 0;
  /**
   * Items may be encoded straight into the stage (no copy) when the format puts nothing before
   * them (no head, no separator: the protobuf formats); otherwise, and when the stage is being
   * compressed, or the item turns out not to belong to the open payload, they go by the scratch.
   */
  readonly #direct: boolean;
  readonly #target: PayloadTarget;
  readonly #onPayload: PayloadHandler;
  readonly #hardLimitBytes: number;
  /** The largest item (with head, separator, tail) a payload takes on its own, by both limits. */
  readonly #maxAloneBytes: number;
  /** Made when first used: a small batch (a few events) needs one. */
  readonly #stages: (Stage | undefined)[] = new Array<Stage | undefined>(STAGES).fill(undefined);
  #stageIndex = 0;
  #open: OpenPayload | undefined;
  /** Resolves once every payload cut so far was handed to the handler. */
  #handedOver: Promise<void> = Promise.resolve();

  public constructor(target: PayloadTarget, onPayload: PayloadHandler) {
    this.#target = target;
    this.#onPayload = onPayload;
    const { maxUncompressedBytes, maxCompressedBytes } = target.limits;
    // Without compression the body is sent as it is, so the compressed limit binds it too.
    this.#hardLimitBytes = target.compressor.kind === 'none' ? Math.min(maxUncompressedBytes, maxCompressedBytes) : maxUncompressedBytes;
    this.#direct = target.format.head.length === 0 && target.format.separator === undefined;
    this.#maxAloneBytes = largestWithin(this.#hardLimitBytes, (n) => target.compressor.compressBound(n) <= maxCompressedBytes);
  }

  /** Encoders write one item here between `beginItem()` and `endItem()`. */
  public get writer(): ProtoWriter {
    return this.#itemWriter;
  }

  public beginItem(): void {
    const stage = this.#stage();
    if (this.#direct && stage.busy === undefined) {
      this.#itemWriter = stage.writer;
      this.#itemStart = stage.writer.length;
    } else {
      this.#itemWriter = this.#scratch;
      this.#itemStart = 0;
      this.#scratch.truncate(0);
    }
  }

  /** Forgets a partly written item (its encoder threw). */
  public abortItem(): void {
    this.#itemWriter.truncate(this.#itemStart);
  }

  /**
   * Ends the item written since `beginItem()`; `key` is its group. Returns undefined when the
   * item was placed (or dropped) at once, or a promise (never rejecting) when the builder waits
   * for the compressor first: the caller must await it before the next `beginItem()`. Waiting
   * is the batch's back-pressure, and a turn of the event loop.
   */
  public endItem(points: number, key = ''): Promise<void> | undefined {
    const { format, limits, compressor, drops } = this.#target;
    const direct = this.#itemWriter !== this.#scratch;
    const size = this.#itemWriter.length - this.#itemStart;
    const first = format.separator?.(undefined, key) ?? '';
    const alone = format.head.length + byteLength(first) + size + format.tail.length;
    if (alone > this.#maxAloneBytes || points > limits.maxPoints) {
      this.#itemWriter.truncate(this.#itemStart);
      drops.drop('too_big', 1, { endpoint: format.endpoint, bytes: size, points });
      return undefined;
    }
    let open = this.#open;
    if (direct) {
      // The item is already staged after the open payload's bytes (or alone, for a new one).
      if (open === undefined && this.#itemStart === 0) open = this.#openPayload();
      if (open !== undefined && this.#fits(open, size, points, this.#itemStart) === 'fits') {
        this.#commit(open, this.#stage(), size, points, key);
        return undefined;
      }
      // It goes to a payload of its own: out of the stage, which is the open payload's.
      this.#scratch.truncate(0);
      this.#scratch.raw(this.#itemWriter.bytes().subarray(this.#itemStart));
      this.#itemWriter.truncate(this.#itemStart);
      this.#itemWriter = this.#scratch;
      this.#itemStart = 0;
    }
    if (open !== undefined) {
      const separator = format.separator?.(open.lastKey, key) ?? '';
      const added = byteLength(separator) + size;
      const fit = this.#fits(open, added, points, this.#stage().writer.length);
      if (fit === 'fits') return this.#place(open, separator, points, key);
      // Only the bound failed: compressing what is pending may show there is room after all
      // (never without compression, where the bound is exact, or with nothing pending).
      const pending = this.#stage().writer.length > 0 || open.unconfirmedBound > 0;
      if (fit === 'compressed' && pending && open.repacks < MAX_REPACKS && compressor.kind !== 'none') {
        return this.#repackThenPlace(open, separator, added, points, key);
      }
      this.#cut(open);
    }
    return this.#place(undefined, first, points, key);
  }

  /** Cuts the last payload; resolves when every payload of this batch was handed over. Never rejects. */
  public async finish(): Promise<void> {
    if (this.#open !== undefined) this.#cut(this.#open);
    await this.#handedOver;
  }

  /** Whether `added` more bytes (and points) fit `open`, `staged` bytes of it being in the stage. */
  #fits(open: OpenPayload, added: number, points: number, staged: number): Fit {
    const { format, limits, compressor } = this.#target;
    if (open.uncompressedBytes + added + format.tail.length > this.#hardLimitBytes || open.points + points > limits.maxPoints) return 'full';
    const pending = staged + added + format.tail.length;
    const worst = open.stream.compressedBytes + open.unconfirmedBound + compressor.compressBound(pending);
    return worst <= limits.maxCompressedBytes ? 'fits' : 'compressed';
  }

  async #repackThenPlace(open: OpenPayload, separator: string, added: number, points: number, key: string): Promise<void> {
    this.#pack(open);
    await open.stream.settled();
    open.repacks++;
    this.#target.stats.repacks++;
    if (this.#fits(open, added, points, this.#stage().writer.length) === 'fits') {
      await this.#place(open, separator, points, key);
      return;
    }
    this.#cut(open);
    await this.#place(undefined, this.#target.format.separator?.(undefined, key) ?? '', points, key);
  }

  /** Appends the scratch item (after `separator`) to `open`, or to a new payload; waits for a free stage first. */
  #place(open: OpenPayload | undefined, separator: string, points: number, key: string): Promise<void> | undefined {
    const stage = this.#stage();
    if (stage.busy !== undefined) return stage.busy.then(() => this.#place(open, separator, points, key));
    const w = stage.writer;
    const before = w.length;
    const payload = open ?? this.#openPayload();
    if (open === undefined) w.raw(this.#target.format.head);
    if (separator.length > 0) w.text(separator);
    this.#scratch.copyTo(w);
    this.#commit(payload, stage, w.length - before, points, key);
    return undefined;
  }

  #openPayload(): OpenPayload {
    const payload = new OpenPayload(this.#target.compressor.openStream());
    this.#open = payload;
    return payload;
  }

  /** Counts `bytes` just staged for `open` in `stage`, and packs the stage once full. */
  #commit(open: OpenPayload, stage: Stage, bytes: number, points: number, key: string): void {
    open.uncompressedBytes += bytes;
    open.items++;
    open.points += points;
    open.lastKey = key;
    if (stage.writer.length >= PACK_BYTES) this.#pack(open);
  }

  /** Hands the staged bytes to the payload's compressor and moves on to the other stage. */
  #pack(open: OpenPayload): void {
    const stage = this.#stage();
    if (stage.writer.length === 0) return;
    const bound = this.#target.compressor.compressBound(stage.writer.length);
    open.unconfirmedBound += bound;
    // Un-counted at the moment the stream counts the chunk's output (never both at once).
    const packed = open.stream.pack(stage.writer.bytes(), () => {
      open.unconfirmedBound -= bound;
    });
    this.#release(stage, packed);
  }

  /** Ends the payload with what is staged and the format's tail; hands it over once compressed, in order. */
  #cut(open: OpenPayload): void {
    this.#open = undefined;
    const { format, compressor, drops, stats, limits } = this.#target;
    const stage = this.#stage();
    const rest = stage.writer.length > 0 ? stage.writer.bytes() : EMPTY;
    const uncompressedBytes = open.uncompressedBytes + format.tail.length;
    const body = open.stream.finish(rest, format.tail).then(
      (compressed): Payload | undefined => {
        // Never expected (every item was checked against the codec's bound): counted, not sent over the limit.
        if (compressed.length > limits.maxCompressedBytes) {
          drops.drop('too_big', open.items, { endpoint: format.endpoint, compressedBytes: compressed.length });
          return undefined;
        }
        stats.payloads += 1;
        stats.items += open.items;
        stats.uncompressedBytes += uncompressedBytes;
        stats.compressedBytes += compressed.length;
        stats.byEndpoint.set(format.endpoint, (stats.byEndpoint.get(format.endpoint) ?? 0) + 1);
        return payloadOf(format, compressor, compressed, open.items);
      },
      (error: unknown) => {
        drops.drop('compress_failed', open.items, { endpoint: format.endpoint, error });
        return undefined;
      },
    );
    if (rest.length > 0) this.#release(stage, body.then(() => undefined));
    const onPayload = this.#onPayload;
    this.#handedOver = Promise.all([this.#handedOver, body]).then(([, payload]) => {
      if (payload !== undefined) onPayload(payload);
    });
  }

  #stage(): Stage {
    let stage = this.#stages[this.#stageIndex];
    if (stage === undefined) {
      stage = { writer: new ProtoWriter(PACK_BYTES + ITEM_INITIAL_BYTES), busy: undefined };
      this.#stages[this.#stageIndex] = stage;
    }
    return stage;
  }

  /**
   * Marks `stage` read until `reading` settles and switches to the other one. Emptied now (its
   * bytes are in the compressor's hands: counted there, never staged again), written again only
   * once free.
   */
  #release(stage: Stage, reading: Promise<void>): void {
    stage.writer.truncate(0);
    const busy = reading.then(() => {
      if (stage.busy === busy) stage.busy = undefined;
    });
    stage.busy = busy;
    this.#stageIndex = (this.#stageIndex + 1) % STAGES;
  }
}

/** The largest n ≤ `max` (≥ 0) for which `fits(n)` holds, `fits` being monotonic; -1 if none. */
function largestWithin(max: number, fits: (n: number) => boolean): number {
  let lo = -1;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** UTF-8 length of a separator: ASCII in all but event group keys. */
function byteLength(text: string): number {
  return text.length === 0 ? 0 : Buffer.byteLength(text, 'utf8');
}

function payloadOf(format: PayloadFormat, compressor: Compressor, body: Buffer, itemCount: number): Payload {
  const headers: Record<string, string> = { ...format.headers };
  if (compressor.contentEncoding !== undefined) headers['Content-Encoding'] = compressor.contentEncoding;
  return { endpoint: format.endpoint, body, headers, itemCount };
}
