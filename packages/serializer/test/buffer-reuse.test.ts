import { describe, expect, it } from '@jest/globals';
import { DropCounter } from '@agentkit/core';
import { RecordingLogger } from '@agentkit/core/testing';
import type { Payload } from '@agentkit/forwarder';
import { createCompressor } from '../src/compression/compressor.js';
import { decodePayload } from '../src/index.js';
import type { DecodedPayload, Serie, SketchSeries } from '../src/index.js';
import { seriesV2Format, writeSeriesV2 } from '../src/encode/series-v2.js';
import { CompressionWindow, PayloadBuilder, PayloadStats } from '../src/payload/payload-builder.js';
import type { PayloadTarget } from '../src/payload/payload-builder.js';
import { BufferPool } from '../src/protobuf/buffer-pool.js';
import { gauge, incompressible, sketch } from './fixtures.js';
import { serializerWithFake } from './helpers.js';

const PATHS = { series_v2: '/api/v2/series', sketches_v2: '/api/beta/sketches' } as Record<string, string>;
const decode = (p: Payload): DecodedPayload => decodePayload(PATHS[p.endpoint] as string, p.headers, p.body);
const namesOf = (payloads: Payload[]): string[] =>
  payloads.flatMap((p) => {
    const d = decode(p);
    if (d.kind === 'series_v2') return d.payload.series.map((s) => `${s.metric}|${s.tags.join(',')}`);
    if (d.kind === 'sketches_v2') return d.payload.sketches.map((s) => `${s.metric}|${s.tags.join(',')}`);
    return [];
  });

describe('BufferPool', () => {
  it('hands out the smallest free buffer that fits, or a new one', () => {
    const pool = new BufferPool(4, 1 << 20);
    const small = Buffer.allocUnsafe(8192);
    const large = Buffer.allocUnsafe(65536);
    pool.give(large);
    pool.give(small);
    expect(pool.take(4096)).toBe(small);
    expect(pool.take(4096)).toBe(large);
    const fresh = pool.take(4096);
    expect(fresh).not.toBe(small);
    expect(fresh.length).toBe(4096);
    expect(pool.freeBytes).toBe(0);
  });

  it('keeps at most its count and bytes, preferring larger buffers, and never a view', () => {
    const pool = new BufferPool(2, 200_000);
    pool.give(Buffer.allocUnsafe(10_000));
    pool.give(Buffer.allocUnsafe(20_000));
    pool.give(Buffer.allocUnsafe(30_000)); // replaces the 10 000
    expect(pool.freeBytes).toBe(50_000);
    pool.give(Buffer.allocUnsafe(300_000)); // over the byte bound on its own
    expect(pool.freeBytes).toBe(50_000);
    pool.give(Buffer.allocUnsafe(100_000).subarray(0, 50_000)); // a view: not its own memory
    pool.give(Buffer.from('tiny')); // a slice of Node's slab
    expect(pool.freeBytes).toBe(50_000);
  });
});

describe('writer buffers reused across payloads and batches', () => {
  // Small payloads, so each batch is cut into many and buffers go round the pool many times.
  const env = {
    DD_SERIALIZER_COMPRESSOR_KIND: 'zlib',
    DD_SERIALIZER_MAX_SERIES_UNCOMPRESSED_PAYLOAD_SIZE: '40000',
    DD_SERIALIZER_MAX_UNCOMPRESSED_PAYLOAD_SIZE: '40000',
  };
  const series = (round: number): Serie[] =>
    Array.from({ length: 3000 }, (_, i) => gauge(`r${round}.m${i}`, { tags: [`t:${incompressible(24, round * 10_000 + i)}`] }));
  const sketches = (round: number): SketchSeries[] =>
    Array.from({ length: 600 }, (_, i) => sketch(`r${round}.d${i}`, { tags: [`t:${incompressible(24, round * 20_000 + i)}`] }));

  for (const kind of ['zlib', 'none']) {
    it(`every payload of three flushes of series and sketches at once decodes to what was sent (${kind})`, async () => {
      const { serializer, forwarder } = await serializerWithFake({ ...env, DD_SERIALIZER_COMPRESSOR_KIND: kind });
      const expected: string[] = [];
      for (let round = 0; round < 3; round++) {
        const s = series(round);
        const k = sketches(round);
        expected.push(...s.map((x) => `${x.name}|${x.tags.join(',')}`), ...k.map((x) => `${x.name}|${x.tags.join(',')}`));
        await Promise.all([serializer.sendSeries(s), serializer.sendSketches(k)]);
      }
      expect(forwarder.payloads.length).toBeGreaterThan(20);
      expect(namesOf(forwarder.payloads).sort()).toEqual(expected.sort());
    });
  }
});

describe('CompressionWindow', () => {
  it('bounds the payloads compressing across builders that share it', async () => {
    const zlib = createCompressor('zlib');
    let compressing = 0;
    let most = 0;
    const target: PayloadTarget = {
      format: seriesV2Format,
      limits: { maxCompressedBytes: 512_000, maxUncompressedBytes: 20_000, maxPoints: Infinity },
      compressor: {
        ...zlib,
        compress: async (input) => {
          most = Math.max(most, ++compressing);
          try {
            return await zlib.compress(input);
          } finally {
            compressing--;
          }
        },
      },
      drops: new DropCounter(new RecordingLogger()),
      stats: new PayloadStats(),
      compressionRatio: 1,
    };
    const window = new CompressionWindow(2);
    const payloads: Payload[] = [];
    const run = async (prefix: string): Promise<void> => {
      const builder = new PayloadBuilder(target, (p) => payloads.push(p), { window });
      for (let i = 0; i < 2000; i++) {
        builder.beginItem();
        writeSeriesV2(builder.writer, gauge(`${prefix}.${i}`, { tags: [`t:${incompressible(32, i)}`] }));
        if (builder.endItem(1)) {
          await builder.settled(4);
          await window.room();
        }
      }
      await builder.finish();
    };
    await Promise.all([run('a'), run('b')]);
    // A builder cuts before it waits, so each may start one over the window: size + builders,
    // where each bounding only its own (settled(4)) would let 5 + 5 run.
    expect(most).toBeLessThanOrEqual(4);
    expect(window.compressing).toBe(0);
    expect(namesOf(payloads)).toHaveLength(4000);
  });
});
