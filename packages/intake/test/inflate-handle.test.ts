import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { handleInflateAvailable } from '../src/http/inflate-handle.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '@agentkit/serializer';
import { INFLATE_CHUNK_BYTES, inflateChunks, inflateThroughStream } from '../src/http/inflate-stream.js';

/** Bytes that compress about as a metrics payload does (repeated names and tags, varied values), `bytes` long. */
function payloadLike(bytes: number, seed = 0): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  const noise = randomBytes(bytes >> 3);
  for (let i = 0; i < bytes; i++) out[i] = i % 8 === 7 ? (noise[i >> 3] as number) : (((i + seed) * 31) >> 4) & 0x7f;
  return out;
}

/** An inflate route: `inflateChunks` (the handle where it can) or the stream fallback alone. */
type Route = (body: Buffer, encoding: string, onChunk: (chunk: Buffer) => void, maxOutputBytes: number) => Promise<number>;

/** Every piece handed to onChunk: a copy of its bytes, and the ArrayBuffer it was a view of. */
async function inflateAll(body: Buffer, encoding: string, maxOutputBytes?: number, route: Route = inflateChunks): Promise<{ bytes: number; out: Buffer; pieces: number; buffers: Set<ArrayBufferLike> }> {
  const copies: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  const bytes = await route(
    body,
    encoding,
    (chunk) => {
      copies.push(Buffer.from(chunk));
      buffers.add(chunk.buffer);
    },
    maxOutputBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
  );
  return { bytes, out: Buffer.concat(copies), pieces: copies.length, buffers };
}

/** The message node:zlib's one-shot inflater gives for `body`, to compare with. */
function zlibMessage(inflate: () => Buffer): string {
  try {
    inflate();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the body not to inflate');
}

describe('inflateChunks: deflate and gzip through one reused output buffer', () => {
  it("drives node:zlib's native handle on this Node (a Node upgrade that changes lib/zlib.js's handle fails here)", () => {
    // The stream fallback would still be correct, but every piece would again be a fresh 64 KiB Buffer.
    // On another Node major: check its lib/zlib.js against inflate-handle.ts, then add it to CHECKED_NODE_MAJORS.
    expect(handleInflateAvailable()).toBe(true);
  });

  it.each(['deflate', 'gzip'])('%s: a payload of many pieces comes out whole and in order, every piece a view of one ArrayBuffer', async (encoding) => {
    const raw = payloadLike(40 * INFLATE_CHUNK_BYTES + 123);
    const body = encoding === 'gzip' ? gzipSync(raw) : deflateSync(raw);
    const result = await inflateAll(body, encoding);
    expect(result.bytes).toBe(raw.length);
    expect(result.out.equals(raw)).toBe(true);
    expect(result.pieces).toBeGreaterThanOrEqual(41);
    expect(result.buffers.size).toBe(1);
    expect([...result.buffers][0]?.byteLength).toBe(INFLATE_CHUNK_BYTES);
  });

  it('the next payloads, one after another, reuse the same buffer: a flush allocates no piece per payload', async () => {
    const seen = new Set<ArrayBufferLike>();
    for (let p = 0; p < 12; p++) {
      const raw = payloadLike(3 * INFLATE_CHUNK_BYTES + p * 1000, p);
      const result = await inflateAll(deflateSync(raw), 'deflate');
      expect(result.out.equals(raw)).toBe(true);
      for (const b of result.buffers) seen.add(b);
    }
    expect(seen.size).toBe(1);
  });

  it('payloads inflated at once each get their own buffer, and all come out right; afterwards a few buffers are kept, not one per payload', async () => {
    const raws = Array.from({ length: 8 }, (_, p) => payloadLike(5 * INFLATE_CHUNK_BYTES + p * 777, p));
    const results = await Promise.all(raws.map((raw, p) => inflateAll(p % 2 === 0 ? deflateSync(raw) : gzipSync(raw), p % 2 === 0 ? 'deflate' : 'gzip')));
    results.forEach((result, p) => {
      expect(result.out.equals(raws[p] as Buffer)).toBe(true);
      expect(result.buffers.size).toBe(1);
    });
    expect(new Set(results.map((r) => [...r.buffers][0])).size).toBe(8);
    // Sixteen more deflate payloads, four at a time: they take the kept buffers.
    const again = new Set<ArrayBufferLike>();
    for (let round = 0; round < 4; round++) {
      const batch = await Promise.all(raws.slice(0, 4).map((raw) => inflateAll(deflateSync(raw), 'deflate')));
      for (const r of batch) for (const b of r.buffers) again.add(b);
    }
    expect(again.size).toBeLessThanOrEqual(4);
  });

  it.each(['deflate', 'gzip'])('%s: an output of exactly whole pieces (the last write finds the stream already ended) inflates whole', async (encoding) => {
    for (const size of [0, INFLATE_CHUNK_BYTES, 3 * INFLATE_CHUNK_BYTES]) {
      const raw = payloadLike(size);
      const result = await inflateAll(encoding === 'gzip' ? gzipSync(raw) : deflateSync(raw), encoding);
      expect(result.bytes).toBe(size);
      expect(result.out.equals(raw)).toBe(true);
    }
  });

  it('a gzip body of two members inflates to both, as gunzip does', async () => {
    const a = payloadLike(100_000, 1);
    const b = payloadLike(70_000, 2);
    const body = Buffer.concat([gzipSync(a), gzipSync(b)]);
    const result = await inflateAll(body, 'gzip');
    expect(result.out.equals(gunzipSync(body))).toBe(true);
    expect(result.bytes).toBe(a.length + b.length);
  });

  it.each(['deflate', 'gzip'])('%s: a corrupt stream is refused with zlib\'s reason, and the next payload inflates', async (encoding) => {
    const raw = payloadLike(10 * INFLATE_CHUNK_BYTES);
    const body = encoding === 'gzip' ? gzipSync(raw) : deflateSync(raw);
    const badHeader = Buffer.from(body);
    badHeader[encoding === 'gzip' ? 1 : 0] = 0x00;
    const badMiddle = Buffer.from(body);
    for (let i = body.length >> 1; i < (body.length >> 1) + 64; i++) badMiddle[i] = 0xff;
    const oneShot = (b: Buffer) => () => (encoding === 'gzip' ? gunzipSync(b) : inflateSync(b));
    for (const bad of [badHeader, badMiddle]) {
      await expect(inflateAll(bad, encoding)).rejects.toThrow(`cannot decompress a ${encoding} body: ${zlibMessage(oneShot(bad))}`);
      // The cause is zlib's error as node:zlib's stream reports it (symdb batches quote its message).
      await expect(inflateAll(bad, encoding)).rejects.toMatchObject({ code: 'ERR_SERIALIZER_DECODE', cause: { message: zlibMessage(oneShot(bad)), code: 'Z_DATA_ERROR' } });
    }
    expect((await inflateAll(body, encoding)).out.equals(raw)).toBe(true);
  });

  it.each(['deflate', 'gzip'])('%s: a truncated stream (cut anywhere, or empty) is refused as "unexpected end of file"', async (encoding) => {
    const raw = payloadLike(6 * INFLATE_CHUNK_BYTES);
    const body = encoding === 'gzip' ? gzipSync(raw) : deflateSync(raw);
    for (const cut of [0, 1, 10, body.length >> 2, body.length >> 1, body.length - 1]) {
      await expect(inflateAll(body.subarray(0, cut), encoding)).rejects.toThrow(`cannot decompress a ${encoding} body: unexpected end of file`);
    }
  });

  it('a body that inflates past maxOutputBytes is refused once past it, without inflating the rest', async () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    let inflated = 0;
    const outcome = inflateChunks(bomb, 'deflate', (chunk) => (inflated += chunk.length), 1_000_000);
    await expect(outcome).rejects.toThrow('cannot decompress a deflate body: it inflates past 1000000 bytes');
    expect(inflated).toBeLessThanOrEqual(1_000_000);
    expect(inflated).toBeGreaterThan(1_000_000 - INFLATE_CHUNK_BYTES);
  });

  it('what onChunk throws stops the inflate and is what it rejects with; the next payload inflates', async () => {
    const raw = payloadLike(8 * INFLATE_CHUNK_BYTES);
    let calls = 0;
    const stop = new Error('stop here');
    const outcome = inflateChunks(deflateSync(raw), 'deflate', () => {
      calls++;
      if (calls === 3) throw stop;
    });
    await expect(outcome).rejects.toBe(stop);
    expect(calls).toBe(3);
    expect((await inflateAll(deflateSync(raw), 'deflate')).out.equals(raw)).toBe(true);
  });

  it('an uncompressed body is handed on as it is', async () => {
    const raw = payloadLike(1000);
    const result = await inflateAll(raw, 'identity');
    expect(result.out.equals(raw)).toBe(true);
    expect(result.bytes).toBe(1000);
  });
});

describe("the fallback (node:zlib's public stream) gives the same outcomes", () => {
  const routes: Record<'handle' | 'stream', Route> = { handle: inflateChunks, stream: inflateThroughStream };
  const outcome = async (route: Route, body: Buffer, encoding: string, max?: number): Promise<string> => {
    try {
      const r = await inflateAll(body, encoding, max, route);
      return `ok ${r.bytes} ${r.out.toString('base64').length} ${r.out.subarray(0, 64).toString('hex')}`;
    } catch (error) {
      return `error ${(error as Error).message}`;
    }
  };

  it.each(['deflate', 'gzip'])('%s: whole, corrupt, truncated and past the limit, both routes say the same', async (encoding) => {
    const raw = payloadLike(7 * INFLATE_CHUNK_BYTES + 5);
    const body = encoding === 'gzip' ? gzipSync(raw) : deflateSync(raw);
    const corrupt = Buffer.from(body);
    for (let i = body.length >> 1; i < (body.length >> 1) + 32; i++) corrupt[i] = 0xff;
    const cases: [Buffer, number | undefined][] = [[body, undefined], [corrupt, undefined], [body.subarray(0, body.length >> 1), undefined], [Buffer.alloc(0), undefined], [body, 100_000]];
    for (const [input, max] of cases) {
      expect(await outcome(routes.handle, input, encoding, max)).toBe(await outcome(routes.stream, input, encoding, max));
    }
    // Only the stream allocates a fresh buffer per full piece.
    expect((await inflateAll(body, encoding, undefined, inflateThroughStream)).buffers.size).toBeGreaterThan(1);
  });
});
