import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { Logger } from '@agentkit/core';
import type { CompressorKind } from '../config-keys.js';

/** zlib's default level (6), the one the Datadog Agent's zlib compressor uses. */
export const DEFAULT_ZLIB_LEVEL = zlib.constants.Z_DEFAULT_COMPRESSION;
export const DEFAULT_ZSTD_LEVEL = 1;

/**
 * Compresses whole payload bodies off the event loop (libuv's thread pool), so a drain of
 * many payloads compresses several at once while JavaScript encodes the next.
 */
export interface Compressor {
  /** The kind actually used (zstd falls back to zlib where the runtime has no zstd). */
  readonly kind: CompressorKind;
  /** The `Content-Encoding` header value, or undefined for none. */
  readonly contentEncoding: string | undefined;
  /** Compresses `input`; the input is not modified and may be read until the promise settles. */
  compress(input: Buffer): Promise<Buffer>;
}

type BufferCallback = (error: Error | null, result: Buffer) => void;

/** The zstd half of node:zlib (Node ≥ 22.15 / 23.8); @types/node 20 does not know it. */
interface ZstdZlib {
  zstdCompress?: (input: Buffer, options: { params: Record<number, number> }, callback: BufferCallback) => void;
  zstdDecompressSync?: (input: Buffer) => Buffer;
  constants: { ZSTD_c_compressionLevel?: number };
}

const zstdZlib = zlib as unknown as ZstdZlib;

/** True when this runtime's node:zlib has zstd. */
export function runtimeHasZstd(): boolean {
  return typeof zstdZlib.zstdCompress === 'function' && zstdZlib.constants.ZSTD_c_compressionLevel !== undefined;
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

const deflateAsync = promisify(zlib.deflate);

function zlibCompressor(level: number): Compressor {
  return {
    kind: 'zlib',
    contentEncoding: 'deflate',
    compress: (input) => deflateAsync(input, { level }),
  };
}

function zstdCompressor(level: number): Compressor {
  const compress = zstdZlib.zstdCompress as NonNullable<ZstdZlib['zstdCompress']>;
  const params = { [zstdZlib.constants.ZSTD_c_compressionLevel as number]: level };
  return {
    kind: 'zstd',
    contentEncoding: 'zstd',
    compress: (input) =>
      new Promise((resolve, reject) => {
        compress(input, { params }, (error, result) => (error === null ? resolve(result) : reject(error)));
      }),
  };
}

// The body is handed to the forwarder, which owns it: a copy keeps the caller's (larger,
// reusable) buffer out of the forwarder's queues.
const noneCompressor: Compressor = {
  kind: 'none',
  contentEncoding: undefined,
  compress: (input) => Promise.resolve(Buffer.from(input)),
};

/** zstd decompression when the runtime has it. */
export function zstdDecompressSync(input: Buffer): Buffer | undefined {
  return zstdZlib.zstdDecompressSync?.(input);
}
