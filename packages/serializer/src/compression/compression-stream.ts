import zlib from 'node:zlib';
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
   * Never rejects: a failure is kept and reported by `finish`. `onCounted` runs at the moment
   * the chunk's output is added to `compressedBytes` (synchronously, for a stream that counts at
   * once), so a caller that keeps a bound for chunks not yet counted never counts one twice.
   */
  pack(chunk: Buffer, onCounted: () => void): Promise<void>;
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
  createZstdCompress?: (options: { params: Record<number, number>; flush: number }) => Transform;
  constants: { ZSTD_e_flush?: number };
}

const zstdStreams = zlib as unknown as ZstdStreams;

/** A deflate (zlib format) stream at `level`. */
export function deflateStream(level: number): CompressionStream {
  return new CodecStream(zlib.createDeflate({ level, flush: zlib.constants.Z_SYNC_FLUSH }));
}

/** A zstd stream with `params`; only where the runtime has zstd (see `runtimeHasZstd`). */
export function zstdStream(params: Record<number, number>): CompressionStream {
  const create = zstdStreams.createZstdCompress as NonNullable<ZstdStreams['createZstdCompress']>;
  return new CodecStream(create({ params, flush: zstdStreams.constants.ZSTD_e_flush as number }));
}

/** No compression: the chunks are the body (copied: the caller reuses its buffers). */
export function plainStream(): CompressionStream {
  const parts: Buffer[] = [];
  let bytes = 0;
  return {
    get compressedBytes() {
      return bytes;
    },
    pack(chunk, onCounted) {
      parts.push(Buffer.from(chunk));
      bytes += chunk.length;
      onCounted();
      return Promise.resolve();
    },
    settled: () => Promise.resolve(),
    finish(rest, tail) {
      parts.push(rest, tail);
      return Promise.resolve(Buffer.concat(parts, bytes + rest.length + tail.length));
    },
  };
}

/**
 * A node:zlib transform driven as a compression stream: output is collected as it comes. Each
 * pack ends with a flush (deflate's sync flush: a few bytes) so its output can be counted. One
 * stream compresses on one thread at a time; a batch keeps several going by filling the next
 * payload while the last one's packs compress (PayloadBuilder's staging buffers).
 */
class CodecStream implements CompressionStream {
  readonly #codec: Transform;
  readonly #parts: Buffer[] = [];
  #bytes = 0;
  #error: Error | undefined;
  #last: Promise<void> = Promise.resolve();

  /** `codec` must flush after every write (its `flush` option), so each write's output is whole. */
  public constructor(codec: Transform) {
    this.#codec = codec;
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

  public pack(chunk: Buffer, onCounted: () => void): Promise<void> {
    if (this.#error !== undefined) {
      onCounted();
      return Promise.resolve();
    }
    // One stream: its writes are compressed in order, so the last pack settles after the others.
    // One write, compressed and flushed in one job on the thread pool (the stream's `flush`
    // option); its callback runs once its output was pushed (and counted).
    this.#last = new Promise((resolve) => {
      this.#codec.write(chunk, () => {
        onCounted();
        resolve();
      });
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
