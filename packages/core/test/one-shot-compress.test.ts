import { describe, expect, it } from '@jest/globals';
import { deflate, deflateSync, gzip, gzipSync, gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';

import { compressOneShot, SYNC_COMPRESS_MAX_BYTES, type OneShotCodec } from '../src/compression/one-shot-compress.js';

/** node:zlib's real calls, recording which one ran. */
function recorded(sync: OneShotCodec<ZlibOptions>['sync'], async: OneShotCodec<ZlibOptions>['async']): { codec: OneShotCodec<ZlibOptions>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    codec: {
      sync: (input, options) => {
        calls.push('sync');
        return sync(input, options);
      },
      async: (input, options, callback) => {
        calls.push('async');
        async(input, options, callback);
      },
    },
  };
}

/** Text-like bytes, a different line each time (compressible, not trivially). */
function body(bytes: number): Buffer {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `{"i":${i},"msg":"GET /items/${(i * 7919) % 100_000} 200"}\n`;
  return Buffer.from(text.slice(0, bytes));
}

describe('compressOneShot', () => {
  it.each([
    ['a small input', 900, 'sync'],
    ['an input of exactly the threshold', SYNC_COMPRESS_MAX_BYTES, 'sync'],
    ['an input one byte over it', SYNC_COMPRESS_MAX_BYTES + 1, 'async'],
    ['a large input', 256 * 1024, 'async'],
  ] as const)('should compress %s (%d bytes) on the %s path, to what decompresses back', async (_what, bytes, path) => {
    const input = body(bytes);
    const deflated = recorded(deflateSync, deflate);
    const gzipped = recorded(gzipSync, gzip);
    expect(inflateSync(await compressOneShot(deflated.codec, input, { level: 6 }))).toEqual(input);
    expect(gunzipSync(await compressOneShot(gzipped.codec, input, { level: 1 }))).toEqual(input);
    expect([...deflated.calls, ...gzipped.calls]).toEqual([path, path]);
  });

  it('should have compressed a small input before it returns', () => {
    const { codec, calls } = recorded(deflateSync, deflate);
    void compressOneShot(codec, body(100), {});
    expect(calls).toEqual(['sync']);
  });

  it.each([100, SYNC_COMPRESS_MAX_BYTES * 2])('should reject, not throw, when the codec fails (%d bytes)', async (bytes) => {
    const { codec } = recorded(deflateSync, deflate);
    const result = compressOneShot(codec, body(bytes), { level: 42 });
    await expect(result).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  });
});
