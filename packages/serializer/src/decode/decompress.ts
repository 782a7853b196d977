import zlib from 'node:zlib';
import { zstdDecompressSync } from '../compression/compressor.js';
import { SerializerError, SerializerErrorCode } from '../errors.js';

/** Largest body a decoder inflates to: a guard against decompression bombs (4× the largest limit). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** Output expected per compressed byte when sizing the inflate buffer (agent payloads deflate 5–15×). */
const EXPECTED_RATIO = 32;
/** zlib's default chunk, the smallest output buffer worth allocating. */
const MIN_CHUNK_BYTES = 16 * 1024;

/**
 * The inflate output buffer for `body`: large enough that a payload inflates into one buffer.
 * With zlib's default 16 KB chunks the output is gathered in chunks and then concatenated, so
 * inflating a payload briefly took twice its size; one buffer sized by the compressed length
 * takes it once (the part never written is allocated but not touched, so not resident).
 */
function outputChunkBytes(body: Buffer, maxOutputLength: number): number {
  return Math.max(MIN_CHUNK_BYTES, Math.min(maxOutputLength, body.length * EXPECTED_RATIO));
}

/**
 * The body as sent before compression, by its `Content-Encoding`: `deflate` (zlib stream),
 * `gzip`, `zstd` (where node:zlib has it), or none / `identity`. Throws
 * `ERR_SERIALIZER_CONTENT_ENCODING` for an encoding this runtime cannot read, and
 * `ERR_SERIALIZER_DECODE` for a corrupt stream.
 */
export function decompressBody(body: Buffer, contentEncoding: string | undefined, maxOutputLength = DEFAULT_MAX_DECOMPRESSED_BYTES): Buffer {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  try {
    switch (encoding) {
      case '':
      case 'identity':
        return body;
      case 'deflate':
        return zlib.inflateSync(body, { maxOutputLength, chunkSize: outputChunkBytes(body, maxOutputLength) });
      case 'gzip':
        return zlib.gunzipSync(body, { maxOutputLength, chunkSize: outputChunkBytes(body, maxOutputLength) });
      case 'zstd': {
        const out = zstdDecompressSync(body);
        if (out !== undefined) return out;
        break;
      }
      default:
        break;
    }
  } catch (error) {
    throw new SerializerError(SerializerErrorCode.Decode, `cannot decompress a ${encoding} body: ${(error as Error).message}`, { cause: error });
  }
  throw new SerializerError(
    SerializerErrorCode.ContentEncoding,
    `Content-Encoding "${encoding}" is not supported by this runtime (Node ${process.version})`,
  );
}
