import zlib from 'node:zlib';
import { compressOneShot } from '@agentkit/core';
import type { Logger, OneShotCodec } from '@agentkit/core';
import type { CompressorKind } from '../config-keys.js';
import { deflateStream, plainStream, zstdStream } from './compression-stream.js';
import type { CompressionStream } from './compression-stream.js';

/** zlib's default level (6), the one the Datadog Agent's zlib compressor uses. */
export const DEFAULT_ZLIB_LEVEL = zlib.constants.Z_DEFAULT_COMPRESSION;
export const DEFAULT_ZSTD_LEVEL = 1;

/**
 * Compresses whole bodies (`compress`: small ones on the calling thread, larger ones on libuv's
 * thread pool, see `compressOneShot`), or a payload as it is encoded (`openStream`, off the
 * event loop), so a flush holds compressed bytes rather than payloads.
 */
export interface Compressor {
  /** The kind actually used (zstd falls back to zlib where the runtime has no zstd). */
  readonly kind: CompressorKind;
  /** The `Content-Encoding` header value, or undefined for none. */
  readonly contentEncoding: string | undefined;
  /**
   * Compresses `input`; the input is not modified and may be read until the promise settles.
   * Up to `SYNC_COMPRESS_MAX_BYTES` (@agentkit/core) it is compressed before this returns.
   */
  compress(input: Buffer): Promise<Buffer>;
  /** A stream for one payload's body. */
  openStream(): CompressionStream;
  /**
   * The most bytes `inputBytes` written to a stream (as one `pack`, or as the `finish`) add to
   * its output, the codec's flush and end markers included: what the payload builder cuts on.
   */
  compressBound(inputBytes: number): number;
}

type BufferCallback = (error: Error | null, result: Buffer) => void;

/** The zstd half of node:zlib (Node ≥ 22.15 / 23.8); @types/node 20 does not know it. */
interface ZstdZlib {
  zstdCompress?: (input: Buffer, options: { params: Record<number, number> }, callback: BufferCallback) => void;
  zstdCompressSync?: (input: Buffer, options: { params: Record<number, number> }) => Buffer;
  zstdDecompressSync?: (input: Buffer) => Buffer;
  constants: { ZSTD_c_compressionLevel?: number };
}

const zstdZlib = zlib as unknown as ZstdZlib;

/** True when this runtime's node:zlib has zstd. */
export function runtimeHasZstd(): boolean {
  return (
    typeof zstdZlib.zstdCompress === 'function' &&
    typeof zstdZlib.zstdCompressSync === 'function' &&
    typeof (zlib as unknown as Record<string, unknown>)['createZstdCompress'] === 'function' &&
    zstdZlib.constants.ZSTD_c_compressionLevel !== undefined
  );
}

export interface CompressorOptions {
  readonly zstdLevel?: number;
  readonly zlibLevel?: number;
  /** Told once when zstd is asked for and the runtime has none. */
  readonly logger?: Logger;
}

/**
 * The compressor for `kind`, falling back from zstd to zlib when needed, said once at info
 * level: the intake takes deflate as well, so nothing is lost, and on Node 20 (which has no
 * zstd) a warning at every start for Datadog's default would only teach users to ignore warnings.
 */
export function createCompressor(kind: CompressorKind, options: CompressorOptions = {}): Compressor {
  if (kind === 'zstd') {
    if (runtimeHasZstd()) return zstdCompressor(options.zstdLevel ?? DEFAULT_ZSTD_LEVEL);
    options.logger?.info(
      { serializer_compressor_kind: 'zstd', node: process.version },
      'this Node.js has no zstd in node:zlib (needs 22.15 or later): compressing with zlib (deflate) instead; set serializer_compressor_kind to zlib to say so',
    );
    return zlibCompressor(options.zlibLevel ?? DEFAULT_ZLIB_LEVEL);
  }
  if (kind === 'zlib') return zlibCompressor(options.zlibLevel ?? DEFAULT_ZLIB_LEVEL);
  return noneCompressor;
}

/**
 * What a `pack` adds at most beyond the codec's own bound: its flush marker (deflate's empty
 * stored block, zstd's block header) and, for the last, the end of the stream (adler-32, zstd's
 * end block), with room to spare: a few bytes per pack against a limit of hundreds of kB.
 */
const STREAM_SLACK_BYTES = 32;

/** zlib's deflateBound for its default window and memory level (as the Datadog Agent's zlib strategy). */
function deflateBound(n: number): number {
  return n + (n >>> 12) + (n >>> 14) + Math.floor(n / 2 ** 25) + 13 + STREAM_SLACK_BYTES;
}

/** ZSTD_COMPRESSBOUND, plus the frame header a stream's first pack carries. */
function zstdBound(n: number): number {
  const small = n < 128 * 1024 ? (128 * 1024 - n) >>> 11 : 0;
  return n + (n >>> 8) + small + 18 + STREAM_SLACK_BYTES;
}

const deflateCodec: OneShotCodec<zlib.ZlibOptions> = { sync: zlib.deflateSync, async: zlib.deflate };

function zlibCompressor(level: number): Compressor {
  const options = { level };
  return {
    kind: 'zlib',
    contentEncoding: 'deflate',
    compress: (input) => compressOneShot(deflateCodec, input, options),
    openStream: () => deflateStream(level),
    compressBound: deflateBound,
  };
}

function zstdCompressor(level: number): Compressor {
  const codec: OneShotCodec<{ params: Record<number, number> }> = {
    sync: zstdZlib.zstdCompressSync as NonNullable<ZstdZlib['zstdCompressSync']>,
    async: zstdZlib.zstdCompress as NonNullable<ZstdZlib['zstdCompress']>,
  };
  const params = { [zstdZlib.constants.ZSTD_c_compressionLevel as number]: level };
  const options = { params };
  return {
    kind: 'zstd',
    contentEncoding: 'zstd',
    compress: (input) => compressOneShot(codec, input, options),
    openStream: () => zstdStream(params),
    compressBound: zstdBound,
  };
}

// The body is handed to the forwarder, which owns it: a copy keeps the caller's (larger,
// reusable) buffer out of the forwarder's queues.
const noneCompressor: Compressor = {
  kind: 'none',
  contentEncoding: undefined,
  compress: (input) => Promise.resolve(Buffer.from(input)),
  openStream: plainStream,
  compressBound: (n) => n,
};

/** zstd decompression when the runtime has it. */
export function zstdDecompressSync(input: Buffer): Buffer | undefined {
  return zstdZlib.zstdDecompressSync?.(input);
}
