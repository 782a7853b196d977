import { describe, expect, it } from '@jest/globals';
import zlib from 'node:zlib';
import { createCompressor, decodePayload, runtimeHasZstd } from '../src/index.js';
import { gauge } from './fixtures.js';
import { RecordingLogger } from '@agentkit/core/testing';
import { serializerWithFake } from './helpers.js';

const input = Array.from({ length: 500 }, (_, i) => gauge(`compress.me.${i}`, { tags: ['env:prod', 'service:web', `shard:${i % 7}`] }));

describe('serializer_compressor_kind', () => {
  it('zlib: a zlib (deflate) stream, Content-Encoding deflate, smaller than the raw body', async () => {
    const raw = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
    await raw.serializer.sendSeries(input);
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib' });
    await serializer.sendSeries(input);
    const [payload] = forwarder.payloads;
    expect(payload?.headers['Content-Encoding']).toBe('deflate');
    const body = payload?.body ?? Buffer.alloc(0);
    expect(zlib.inflateSync(body).equals(raw.forwarder.payloads[0]?.body ?? Buffer.alloc(1))).toBe(true);
    expect(body.length * 5).toBeLessThan(raw.forwarder.payloads[0]?.body.length ?? 0);
  });

  it('none: the raw body and no Content-Encoding header', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
    await serializer.sendSeries(input);
    const [payload] = forwarder.payloads;
    expect(payload?.headers).toEqual({ 'Content-Type': 'application/x-protobuf', 'DD-Agent-Payload': 'v5.0.0' });
    const decoded = decodePayload('/api/v2/series', {}, payload?.body ?? Buffer.alloc(0));
    expect(decoded.kind === 'series_v2' && decoded.payload.series).toHaveLength(500);
  });

  (runtimeHasZstd() ? it : it.skip)('zstd: a zstd frame, Content-Encoding zstd (runtime with zstd)', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zstd' });
    await serializer.sendSeries(input);
    const [payload] = forwarder.payloads;
    expect(payload?.headers['Content-Encoding']).toBe('zstd');
    expect(payload?.body.readUInt32LE(0)).toBe(0xfd2fb528);
  });

  (runtimeHasZstd() ? it.skip : it)('zstd on a runtime without it: deflate instead, said once (info) naming the key', async () => {
    const logger = new RecordingLogger();
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zstd' }, logger);
    await serializer.sendSeries(input);
    await serializer.sendSeries(input);
    expect(forwarder.payloads.map((p) => p.headers['Content-Encoding'])).toEqual(['deflate', 'deflate']);
    expect(zlib.inflateSync(forwarder.payloads[0]?.body ?? Buffer.alloc(0)).length).toBeGreaterThan(0);
    const notices = logger.lines.filter((l) => l.msg.includes('no zstd'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'info', msg: expect.stringContaining('serializer_compressor_kind') });
  });

  it('compresses on the thread pool: the event loop keeps turning while a big body compresses', async () => {
    const compressor = createCompressor('zlib');
    const body = Buffer.alloc(32 * 1024 * 1024, 'abcdefgh');
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 0);
    await compressor.compress(body);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
  });
});
