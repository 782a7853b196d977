import type { DropCounter } from '@agentkit/core';
import type { EndpointName, Payload } from '@agentkit/forwarder';
import type { Compressor } from '../compression/compressor.js';
import type { BufferPool } from '../protobuf/buffer-pool.js';
import { ProtoWriter } from '../protobuf/proto-writer.js';

/**
 * A wire format as the splitter sees it: items are encoded one after another into one buffer,
 * and `wrap` turns a run of them into a complete request body.
 */
export interface PayloadFormat {
  readonly endpoint: EndpointName;
  /** Content-Type and DD-Agent-Payload; Content-Encoding is added per compressor. */
  readonly headers: Readonly<Record<string, string>>;
  /** The most bytes `wrap` adds around the items of one payload. */
  readonly overheadBytes: number;
  /**
   * The request body for items laid end to end in `items`, item `i` starting at `starts[i]`;
   * `keys` are the group keys given to `endItem`, when the format groups items.
   */
  wrap(items: Buffer, starts: readonly number[], keys: readonly string[]): Buffer;
}

export interface PayloadLimits {
  readonly maxCompressedBytes: number;
  readonly maxUncompressedBytes: number;
  /** Points per payload (v2 series); Infinity elsewhere. */
  readonly maxPoints: number;
}

export interface PayloadBuilderOptions {
  /** The writer's first buffer, when the pool has none (64 KB by default). */
  readonly initialCapacityBytes?: number;
  /**
   * Where the writer's buffers come from and go back to once each payload is compressed:
   * shared by the builders of one serializer, so a flush reuses the last one's.
   */
  readonly pool?: BufferPool;
  /** Counts this builder's payloads being compressed against a limit shared with other builders. */
  readonly window?: CompressionWindow;
}

/**
 * Payloads being compressed across every batch of a serializer. A flush serializes its series
 * and its sketches at the same time; each batch bounding only its own payloads kept twice as
 * many uncompressed payloads (a few MB each) alive as libuv's thread pool can compress at once.
 * A builder cuts a payload before its caller waits for room, so up to size + builders run.
 */
export class CompressionWindow {
  readonly #size: number;
  #compressing = 0;
  readonly #waiters: (() => void)[] = [];

  public constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  /** Payloads being compressed now. */
  public get compressing(): number {
    return this.#compressing;
  }

  public started(): void {
    this.#compressing++;
  }

  public ended(): void {
    this.#compressing--;
    while (this.#waiters.length > 0 && this.#compressing <= this.#size) (this.#waiters.shift() as () => void)();
  }

  /** Resolves once at most the window's size are being compressed. Never rejects. */
  public room(): Promise<void> {
    if (this.#compressing <= this.#size) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** Counters shared by every payload the serializer builds. */
export class PayloadStats {
  public payloads = 0;
  public items = 0;
  public uncompressedBytes = 0;
  public compressedBytes = 0;
  /** Payloads that came out over the compressed limit and were split in two and compressed again. */
  public resplits = 0;
  public readonly byEndpoint = new Map<EndpointName, number>();
}

/** What one batch is cut and compressed with; shared by every PayloadBuilder of one format. */
export interface PayloadTarget {
  readonly format: PayloadFormat;
  readonly limits: PayloadLimits;
  readonly compressor: Compressor;
  readonly drops: DropCounter;
  readonly stats: PayloadStats;
  /** Expected uncompressed/compressed size, learnt from the last payloads (1 with no compression). */
  compressionRatio: number;
}

/** Margin under the last ratio seen, so most payloads fit their compressed limit the first time. */
const RATIO_SAFETY = 0.8;
/** The most payloads `settled` lets a caller leave compressing. */
const MAX_SETTLE_WINDOW = 4;
/** What a chunk is sized for before any payload of the format was compressed. */
export const DEFAULT_INITIAL_COMPRESSION_RATIO = 8;

/**
 * Receives each finished payload of a batch, one at a time, in the order the items were
 * written; ownership of the payload (and its body) passes with the call. Must not throw.
 */
export type PayloadHandler = (payload: Payload) => void;

/**
 * Cuts one batch of items into payloads within the limits, compresses each on the thread pool
 * while the caller goes on encoding, and hands each finished payload to its
 * {@link PayloadHandler}, in order, as soon as it and every payload before it are compressed.
 * It submits nothing itself: what happens to a payload (the serializer submits it to the
 * forwarder) is its caller's business.
 *
 * Cutting happens on uncompressed bytes and points; the compressed limit is aimed at with the
 * learnt compression ratio and enforced after compressing: a payload over it is split in two at
 * an item boundary and compressed again. One item over a limit on its own is dropped and counted
 * (`too_big`), as the Datadog Agent does.
 */
export class PayloadBuilder {
  /** Encoders write an item here between `beginItem()` and `endItem()`. */
  public readonly writer: ProtoWriter;
  readonly #target: PayloadTarget;
  readonly #onPayload: PayloadHandler;
  readonly #hardLimitBytes: number;
  #itemStart = 0;
  #starts: number[] = [];
  #keys: string[] = [];
  #chunkBytes = 0;
  #chunkPoints = 0;
  #tail: Promise<void> = Promise.resolve();
  /** `#tail` after each of the last cuts, newest last (a handful: see `settled`). */
  readonly #recentTails: Promise<void>[] = [];

  readonly #window: CompressionWindow | undefined;

  public constructor(target: PayloadTarget, onPayload: PayloadHandler, options: PayloadBuilderOptions = {}) {
    this.#target = target;
    this.#onPayload = onPayload;
    this.writer = new ProtoWriter(options.initialCapacityBytes, options.pool);
    this.#window = options.window;
    const { maxUncompressedBytes, maxCompressedBytes } = target.limits;
    // Without compression the body is sent as it is, so the compressed limit binds it too.
    this.#hardLimitBytes = target.compressor.kind === 'none' ? Math.min(maxUncompressedBytes, maxCompressedBytes) : maxUncompressedBytes;
  }

  public beginItem(): void {
    this.#itemStart = this.writer.length;
  }

  /** Forgets a partly written item (its encoder threw). */
  public abortItem(): void {
    this.writer.truncate(this.#itemStart);
  }

  /**
   * Ends the item written since `beginItem()`. `extraBytes` is what `wrap` may add for this
   * item (a separator, a group header); `key` its group. Returns true when a payload was cut
   * off before this item (a good moment for the caller to yield to the event loop).
   */
  public endItem(points: number, extraBytes = 0, key = ''): boolean {
    const target = this.#target;
    const { overheadBytes } = target.format;
    const size = this.writer.length - this.#itemStart;
    const cost = size + extraBytes;
    if (cost + overheadBytes > this.#hardLimitBytes || points > target.limits.maxPoints) {
      this.writer.truncate(this.#itemStart);
      target.drops.drop('too_big', 1, { endpoint: target.format.endpoint, bytes: size, points });
      return false;
    }
    const softLimit = Math.min(this.#hardLimitBytes, target.limits.maxCompressedBytes * target.compressionRatio);
    let cut = false;
    if (
      this.#starts.length > 0 &&
      (this.#chunkBytes + cost + overheadBytes > softLimit || this.#chunkPoints + points > target.limits.maxPoints)
    ) {
      this.#cut(this.#itemStart);
      cut = true;
    }
    this.#starts.push(this.writer.length - size);
    this.#keys.push(key);
    this.#chunkBytes += cost;
    this.#chunkPoints += points;
    return cut;
  }

  /**
   * Resolves once at most `compressing` (1 to MAX_SETTLE_WINDOW) of the payloads cut so far are
   * still to be handed to the handler. A caller that awaits it after each cut keeps the batch's
   * memory to a few payloads, instead of letting cut payloads queue up for the thread pool.
   * Never rejects.
   */
  public settled(compressing: number): Promise<void> {
    const tails = this.#recentTails;
    const i = tails.length - 1 - Math.min(Math.max(compressing, 1), MAX_SETTLE_WINDOW);
    return i < 0 ? Promise.resolve() : (tails[i] as Promise<void>);
  }

  /**
   * Cuts the last payload; resolves when every payload of this batch was handed to the handler.
   * Never rejects.
   */
  public finish(): Promise<void> {
    if (this.#starts.length > 0) this.#cut(this.writer.length, true);
    return this.#tail;
  }

  #cut(at: number, last = false): void {
    const items = last ? this.writer.detachAll() : this.writer.detach(at);
    const compressed = compressChunk(this.#target, items, this.#starts, this.#keys);
    this.#starts = [];
    this.#keys = [];
    this.#chunkBytes = 0;
    this.#chunkPoints = 0;
    const onPayload = this.#onPayload;
    this.#tail = Promise.all([this.#tail, compressed]).then(([, payloads]) => {
      for (const payload of payloads) onPayload(payload);
    });
    // Compressed (the body is a buffer of its own): the chunk's buffer is free for the next cut.
    const writer = this.writer;
    const window = this.#window;
    window?.started();
    compressed.then(
      () => {
        writer.recycle(items);
        window?.ended();
      },
      () => window?.ended(),
    );
    // Handed over in order, so the tail after cut i resolves once payloads 1..i are handed over.
    this.#recentTails.push(this.#tail);
    // A handful of entries: shift() costs nothing here (no ring buffer needed).
    if (this.#recentTails.length > MAX_SETTLE_WINDOW + 1) void this.#recentTails.shift();
  }
}

async function compressChunk(target: PayloadTarget, items: Buffer, starts: number[], keys: string[]): Promise<Payload[]> {
  const { format, compressor, drops, stats, limits } = target;
  let compressed: Buffer;
  const body = format.wrap(items, starts, keys);
  try {
    compressed = await compressor.compress(body);
  } catch (error) {
    drops.drop('compress_failed', starts.length, { endpoint: format.endpoint, error });
    return [];
  }
  if (compressor.kind !== 'none') {
    target.compressionRatio = Math.max(1, (body.length / Math.max(1, compressed.length)) * RATIO_SAFETY);
  }
  if (compressed.length <= limits.maxCompressedBytes) {
    stats.payloads += 1;
    stats.items += starts.length;
    stats.uncompressedBytes += body.length;
    stats.compressedBytes += compressed.length;
    stats.byEndpoint.set(format.endpoint, (stats.byEndpoint.get(format.endpoint) ?? 0) + 1);
    return [payloadOf(format, compressor, compressed, starts.length)];
  }
  if (starts.length === 1) {
    drops.drop('too_big', 1, { endpoint: format.endpoint, compressedBytes: compressed.length });
    return [];
  }
  stats.resplits += 1;
  const mid = starts.length >> 1;
  const at = starts[mid] as number;
  const [left, right] = await Promise.all([
    compressChunk(target, items.subarray(0, at), starts.slice(0, mid), keys.slice(0, mid)),
    compressChunk(
      target,
      items.subarray(at),
      starts.slice(mid).map((s) => s - at),
      keys.slice(mid),
    ),
  ]);
  return [...left, ...right];
}

function payloadOf(format: PayloadFormat, compressor: Compressor, body: Buffer, itemCount: number): Payload {
  const headers: Record<string, string> = { ...format.headers };
  if (compressor.contentEncoding !== undefined) headers['Content-Encoding'] = compressor.contentEncoding;
  return { endpoint: format.endpoint, body, headers, itemCount };
}
