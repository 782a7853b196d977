import zlib, { type ZlibOptions } from 'node:zlib';
import type { Transform } from 'node:stream';
import { decompressBody, DEFAULT_MAX_DECOMPRESSED_BYTES, SerializerError, SerializerErrorCode } from '@agentkit/serializer';
import { INFLATE_CHUNK_BYTES, inflateThroughHandle } from './inflate-handle.js';

export { INFLATE_CHUNK_BYTES };

/** node:zlib's zstd stream (Node ≥ 22.15 / 23.8); @types/node 20 does not know it. */
type ZstdStreams = { createZstdDecompress?: (options?: ZlibOptions) => Transform };

/** The decompressing stream for a `Content-Encoding`, or undefined when the body is read whole (none, identity, or an encoding without a stream here). */
function inflateStreamFor(encoding: string): Transform | undefined {
  const options = { chunkSize: INFLATE_CHUNK_BYTES };
  switch (encoding) {
    case 'deflate':
      return zlib.createInflate(options);
    case 'gzip':
      return zlib.createGunzip(options);
    case 'zstd':
      return (zlib as unknown as ZstdStreams).createZstdDecompress?.(options);
    default:
      return undefined;
  }
}

/**
 * Inflates `body` as its `Content-Encoding` says and hands the output to `onChunk` piece by piece
 * (never the whole output at once), off the event loop (zlib's thread pool). `onChunk` runs
 * synchronously on each piece and must not keep it: for deflate and gzip a piece is a view of an
 * output buffer reused by the next piece and the next payload (`inflateThroughHandle`), so a
 * flush's inflating costs a few fixed 64 KiB buffers, however many payloads arrive; zstd, and a
 * runtime without that handle, go through node:zlib's stream (a fresh piece each time).
 * Rejects with `ERR_SERIALIZER_DECODE` for a corrupt or truncated stream or an output past
 * `maxOutputBytes` (the guard against decompression bombs, as for `decompressBody`), with
 * `ERR_SERIALIZER_CONTENT_ENCODING` for an encoding this runtime cannot read, and with whatever
 * `onChunk` throws (the stream is then stopped). Resolves with the bytes inflated.
 */
export function inflateChunks(
  body: Buffer,
  contentEncoding: string | undefined,
  onChunk: (chunk: Buffer) => void,
  maxOutputBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): Promise<number> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  return inflateThroughHandle(body, encoding, onChunk, maxOutputBytes) ?? inflateThroughStream(body, encoding, onChunk, maxOutputBytes);
}

/**
 * {@link inflateChunks} through node:zlib's public stream (each piece a fresh Buffer): the route
 * for zstd and for a runtime without the native handle; exported so that its tests hold it to
 * the same outcomes. `encoding` is already trimmed and lower-cased.
 */
export function inflateThroughStream(body: Buffer, encoding: string, onChunk: (chunk: Buffer) => void, maxOutputBytes: number): Promise<number> {
  const stream = inflateStreamFor(encoding);
  if (stream === undefined) {
    // Uncompressed (the body is the output), or a runtime without the stream: its one-shot reader says what it can.
    return new Promise((resolve) => {
      const raw = decompressBody(body, encoding, maxOutputBytes);
      onChunk(raw);
      resolve(raw.length);
    });
  }
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      stream.destroy();
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      bytes += chunk.length;
      if (bytes > maxOutputBytes) {
        fail(new SerializerError(SerializerErrorCode.Decode, `cannot decompress a ${encoding} body: it inflates past ${maxOutputBytes} bytes`));
        return;
      }
      try {
        onChunk(chunk);
      } catch (error) {
        fail(error as Error);
      }
    });
    stream.on('error', (error: Error) => {
      fail(new SerializerError(SerializerErrorCode.Decode, `cannot decompress a ${encoding} body: ${error.message}`, { cause: error }));
    });
    stream.on('end', () => {
      if (!failed) resolve(bytes);
    });
    stream.end(body);
  });
}
