import { describe, expect, it } from '@jest/globals';
import zlib from 'node:zlib';
import { DropCounter } from '@agentkit/core';
import { RecordingLogger } from '@agentkit/core/testing';
import type { Payload } from '@agentkit/forwarder';
import type { CompressionStream } from '../src/compression/compression-stream.js';
import { createCompressor } from '../src/compression/compressor.js';
import type { Compressor } from '../src/compression/compressor.js';
import { decodePayload } from '../src/index.js';
import type { DecodedPayload, Serie, SketchSeries } from '../src/index.js';
import { seriesV2Format, writeSeriesV2 } from '../src/encode/series-v2.js';
import { PACK_BYTES, PayloadBuilder, STAGES } from '../src/payload/payload-builder.js';
import { PayloadStats, type PayloadTarget } from '../src/payload/payload-target.js';
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

describe('payloads compressed as they are encoded', () => {
  // Small payloads, so each batch is cut into many and the staging buffers go round many times.
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

  it('a body is one deflate stream, bit for bit the series written, whatever the packs in it', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib' });
    const input = Array.from({ length: 20_000 }, (_, i) => gauge(`bits.${i}`, { tags: [`i:${i}`, `r:${incompressible(16, i + 7)}`] }));
    await serializer.sendSeries(input);
    const plain = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none', DD_SERIALIZER_MAX_SERIES_PAYLOAD_SIZE: '5242880' });
    await plain.serializer.sendSeries(input);
    // Cut differently (the compressed limit binds zlib, not none), the same bytes in the same order.
    const inflated = Buffer.concat(forwarder.payloads.map((p) => zlib.inflateSync(p.body)));
    expect(inflated.equals(Buffer.concat(plain.forwarder.payloads.map((p) => p.body)))).toBe(true);
    expect(inflated.length).toBeGreaterThan(4 * PACK_BYTES);
  });
});

/** A target whose compressor's streams are watched: how many packs are waiting at once, and what failed. */
function watchedTarget(options: { failFinish?: boolean; maxUncompressedBytes?: number } = {}): {
  target: PayloadTarget;
  most: () => number;
  drops: DropCounter;
} {
  const zlibCompressor = createCompressor('zlib');
  let pending = 0;
  let most = 0;
  const compressor: Compressor = {
    ...zlibCompressor,
    openStream(): CompressionStream {
      const inner = zlibCompressor.openStream();
      return {
        get compressedBytes() {
          return inner.compressedBytes;
        },
        settled: () => inner.settled(),
        async pack(chunk, onCounted) {
          most = Math.max(most, ++pending);
          await inner.pack(chunk, onCounted);
          pending--;
        },
        finish: (rest, tail) =>
          options.failFinish === true ? Promise.reject(new Error('codec failed')) : inner.finish(rest, tail),
      };
    },
  };
  const drops = new DropCounter(new RecordingLogger());
  const target: PayloadTarget = {
    format: seriesV2Format,
    limits: { maxCompressedBytes: 512_000, maxUncompressedBytes: options.maxUncompressedBytes ?? 5_242_880, maxPoints: Infinity },
    compressor,
    drops,
    stats: new PayloadStats(),
  };
  return { target, most: () => most, drops };
}

async function build(target: PayloadTarget, count: number): Promise<Payload[]> {
  const payloads: Payload[] = [];
  const builder = new PayloadBuilder(target, (p) => payloads.push(p));
  for (let i = 0; i < count; i++) {
    builder.beginItem();
    writeSeriesV2(builder.writer, gauge(`m.${i}`, { tags: [`t:${incompressible(64, i + 1)}`] }));
    const waiting = builder.endItem(1);
    if (waiting !== undefined) await waiting;
  }
  await builder.finish();
  return payloads;
}

describe('PayloadBuilder', () => {
  it('waits for the compressor: never more chunks compressing than its staging buffers', async () => {
    const { target, most } = watchedTarget();
    // ~2.6 MB of series: without back-pressure every chunk would be queued for the thread pool.
    const payloads = await build(target, 20_000);
    expect(most()).toBeLessThanOrEqual(STAGES);
    expect(namesOf(payloads)).toHaveLength(20_000);
  });

  it('counts (compress_failed) every item of a payload whose compression failed, and hands over none', async () => {
    const { target, drops } = watchedTarget({ failFinish: true, maxUncompressedBytes: 100_000 });
    const payloads = await build(target, 3000);
    expect(payloads).toHaveLength(0);
    expect(drops.snapshot()['dropped.compress_failed']).toBe(3000);
  });
});
