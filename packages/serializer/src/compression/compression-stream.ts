import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { Transform } from 'node:stream';

/**
 * One payload's compressor, fed as the payload is encoded (the Datadog Agent's stream
 * compressor, pkg/serializer/internal/stream): only the compressed bytes and the codec's window
 * are held, never the whole uncompressed payload. Compression runs on libuv's thread pool.
 *
 * Writes are queued in order; `pack` and `finish` may be called without waiting for the one
 * before. Chunks passed in are read until the returned promise settles: the caller must not
 * write into them before that.
 */
export interface CompressionStream {
  /**
   * Compresses `chunk` and flushes the codec, so that once the promise resolves
   * `compressedBytes` counts every byte of output for everything written so far.
   * Never rejects: a failure is kept and reported by `finish`.
   */
  pack(chunk: Buffer): Promise<void>;
  /** Output bytes so far (exact for what was packed once its `pack` resolved). */
  readonly compressedBytes: number;
  /** Resolves once every pack so far was compressed (then `compressedBytes` is exact). Never rejects. */
  settled(): Promise<void>;
  /**
   * Writes `rest` then `tail` and ends the stream: resolves to the whole body; rejects if the
   * codec failed. Both are read until the promise settles.
   */
  finish(rest: Buffer, tail: Buffer): Promise<Buffer>;
}

/** zstd streams of node:zlib (Node ≥ 22.15 / 23.8); @types/node 20 does not know them. */
interface ZstdStreams {
  createZstdCompress?: (options: { params: Record<number, number> }) => Transform;
  constants: { ZSTD_e_flush?: number };
}

const zstdStreams = zlib as unknown as ZstdStreams;

/** A deflate (zlib format) stream at `level`: see ChunkedDeflateStream. */
export function deflateStream(level: number): CompressionStream {
  return new ChunkedDeflateStream(level);
}

/** A zstd stream with `params`; only where the runtime has zstd (see `runtimeHasZstd`). */
export function zstdStream(params: Record<number, number>): CompressionStream {
  const create = zstdStreams.createZstdCompress as NonNullable<ZstdStreams['createZstdCompress']>;
  return new CodecStream(create({ params }), zstdStreams.constants.ZSTD_e_flush as number);
}

/** No compression: the chunks are the body (copied: the caller reuses its buffers). */
export function plainStream(): CompressionStream {
  const parts: Buffer[] = [];
  let bytes = 0;
  return {
    get compressedBytes() {
      return bytes;
    },
    pack(chunk) {
      parts.push(Buffer.from(chunk));
      bytes += chunk.length;
      return Promise.resolve();
    },
    settled: () => Promise.resolve(),
    finish(rest, tail) {
      parts.push(rest, tail);
      return Promise.resolve(Buffer.concat(parts, bytes + rest.length + tail.length));
    },
  };
}

/** A node:zlib transform driven as a compression stream: output is collected as it comes. */
class CodecStream implements CompressionStream {
  readonly #codec: Transform;
  readonly #flushKind: number;
  readonly #parts: Buffer[] = [];
  #bytes = 0;
  #error: Error | undefined;
  #last: Promise<void> = Promise.resolve();

  public constructor(codec: Transform, flushKind: number) {
    this.#codec = codec;
    this.#flushKind = flushKind;
    // Flowing mode: each output chunk is counted before the flush's callback runs (zlib pushes
    // a write's output, then calls its callback), so `compressedBytes` is exact after `pack`.
    codec.on('data', (chunk: Buffer) => {
      this.#parts.push(chunk);
      this.#bytes += chunk.length;
    });
    codec.on('error', (error: Error) => {
      this.#error ??= error;
    });
  }

  public get compressedBytes(): number {
    return this.#bytes;
  }

  public pack(chunk: Buffer): Promise<void> {
    if (this.#error !== undefined) return Promise.resolve();
    // One stream: its writes are compressed in order, so the last pack settles after the others.
    this.#last = new Promise((resolve) => {
      this.#codec.write(chunk);
      (this.#codec as unknown as zlib.Deflate).flush(this.#flushKind, () => resolve());
    });
    return this.#last;
  }

  public settled(): Promise<void> {
    return this.#last;
  }

  public finish(rest: Buffer, tail: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const codec = this.#codec;
      const done = (): void => {
        if (this.#error !== undefined) reject(this.#error);
        else resolve(Buffer.concat(this.#parts, this.#bytes));
      };
      if (this.#error !== undefined) {
        done();
        return;
      }
      codec.once('end', done);
      codec.once('error', done);
      if (rest.length > 0) codec.write(rest);
      codec.end(tail);
    });
  }
}

/** deflate's window: what a chunk may refer back to, so each chunk gets the 32 KiB before it. */
const WINDOW_BYTES = 32 * 1024;
/** The last block of a zlib stream, empty: BFINAL=1, fixed Huffman codes, end-of-block. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * A zlib-format body whose chunks are deflated independently, several at once on the thread
 * pool, and laid end to end (pigz's method): each chunk is raw deflate primed with the 32 KiB
 * of input before it (so it compresses as it would in one stream) and ended with a sync flush
 * (byte-aligned, not final); the body is the zlib header, the chunks in order, an empty final
 * block and the Adler-32 of the whole input. One zlib stream per payload instead compresses on
 * one thread at a time: bench/drain's serializer took twice as long (docs/benchmarks.md).
 */
class ChunkedDeflateStream implements CompressionStream {
  readonly #level: number;
  readonly #parts: Buffer[] = [];
  readonly #pending = new Set<Promise<void>>();
  #bytes: number;
  #adler = 1;
  /**
   * The last ≤ 32 KiB of input: a copy, or a view of the last chunk, whose buffer its writer
   * (PayloadBuilder, with more than one staging buffer) does not write before the next pack.
   */
  #window: Buffer | undefined;
  #error: Error | undefined;

  public constructor(level: number) {
    this.#level = level;
    this.#parts.push(zlibHeader(level));
    this.#bytes = 2;
  }

  public get compressedBytes(): number {
    return this.#bytes;
  }

  public pack(chunk: Buffer): Promise<void> {
    if (chunk.length === 0 || this.#error !== undefined) return Promise.resolve();
    const index = this.#parts.length;
    this.#parts.push(EMPTY_PART);
    const done = this.#deflate(chunk).then(
      (out) => {
        this.#parts[index] = out;
        this.#bytes += out.length;
      },
      (error: Error) => {
        this.#error ??= error;
      },
    );
    this.#pending.add(done);
    void done.then(() => this.#pending.delete(done));
    return done;
  }

  public async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  public async finish(rest: Buffer, tail: Buffer): Promise<Buffer> {
    // The tail is a format's constant; rest is at most one staging buffer.
    void this.pack(Buffer.concat([rest, tail]));
    await this.settled();
    if (this.#error !== undefined) throw this.#error;
    const trailer = Buffer.allocUnsafe(4);
    trailer.writeUInt32BE(this.#adler, 0);
    this.#parts.push(FINAL_EMPTY_BLOCK, trailer);
    return Buffer.concat(this.#parts, this.#bytes + FINAL_EMPTY_BLOCK.length + 4);
  }

  #deflate(chunk: Buffer): Promise<Buffer> {
    this.#adler = adler32(chunk, this.#adler);
    const dictionary = this.#window;
    // node:zlib copies the dictionary when the call is made: a view is safe here.
    this.#window =
      chunk.length >= WINDOW_BYTES || dictionary === undefined
        ? chunk.subarray(Math.max(0, chunk.length - WINDOW_BYTES))
        : Buffer.concat([dictionary, chunk]).subarray(-WINDOW_BYTES);
    const options: zlib.ZlibOptions = { level: this.#level, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (dictionary !== undefined) options.dictionary = dictionary;
    return deflateRawAsync(chunk, options);
  }
}

const EMPTY_PART = Buffer.alloc(0);
const deflateRawAsync = promisify(zlib.deflateRaw) as (input: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

/** The two bytes opening a zlib stream: deflate, 32 KiB window, no dictionary, the level's hint. */
function zlibHeader(level: number): Buffer {
  const effective = level < 0 ? 6 : level;
  const flevel = effective < 2 ? 0 : effective < 6 ? 1 : effective === 6 ? 2 : 3;
  const cmf = 0x78;
  let flg = flevel << 6;
  flg += 31 - ((cmf * 256 + flg) % 31);
  return Buffer.from([cmf, flg]);
}

const ADLER_MOD = 65521;
/** The most bytes summed before reducing (zlib's NMAX): the sums stay below 2^32. */
const ADLER_NMAX = 5552;

/** Adler-32 of `buf` continuing from `adler` (1 to start), as zlib computes it. */
export function adler32(buf: Uint8Array, adler = 1): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const end = Math.min(i + ADLER_NMAX, n);
    for (; i < end; i++) {
      a += buf[i] as number;
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}
