import { describe, expect, it } from '@jest/globals';
import zlib from 'node:zlib';
import type { Payload } from '@agentkit/forwarder';
import { decodePayload, decodedItemCount, SERIALIZER } from '../src/index.js';
import type { DecodedPayload, PayloadSerializer, Serie } from '../src/index.js';
import { event, gauge, incompressible, serviceCheck, sketch, TS } from './fixtures.js';
import { serializerWithFake } from './helpers.js';

const PATHS = { series_v2: '/api/v2/series', series_v1: '/api/v1/series', sketches_v2: '/api/beta/sketches', intake: '/intake/', check_run_v1: '/api/v1/check_run', logs: '/api/v2/logs' };
const decode = (p: Payload): DecodedPayload => decodePayload(PATHS[p.endpoint], p.headers, p.body);
const inflated = (p: Payload): number => (p.headers['Content-Encoding'] === 'deflate' ? zlib.inflateSync(p.body).length : p.body.length);
const pointsIn = (p: Payload): number => {
  const d = decode(p);
  return d.kind === 'series_v2' ? d.payload.series.reduce((n, s) => n + s.points.length, 0) : 0;
};
const names = (payloads: Payload[]): string[] =>
  payloads.flatMap((p) => {
    const d = decode(p);
    return d.kind === 'series_v2' ? d.payload.series.map((s) => s.metric) : [];
  });
const many = (n: number, make: (i: number) => Serie = (i) => gauge(`m.${i}`)): Serie[] => Array.from({ length: n }, (_, i) => make(i));
const telemetryOf = async (env: Record<string, string>) => {
  const setup = await serializerWithFake(env);
  return { ...setup, telemetry: () => (setup.app.get(SERIALIZER) as PayloadSerializer).telemetry() };
};

describe('v2 series: serializer_max_series_points_per_payload (10 000)', () => {
  it('cuts payloads at exactly 10 000 points and loses none', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib' });
    await serializer.sendSeries(many(25_000));
    expect(forwarder.payloads.map(pointsIn)).toEqual([10_000, 10_000, 5_000]);
    expect(forwarder.payloads.map((p) => p.itemCount)).toEqual([10_000, 10_000, 5_000]);
    expect(names(forwarder.payloads)).toEqual(many(25_000).map((s) => s.name));
  });

  it('counts points, not series: 4 series of 4 000 points make 2 payloads of 8 000', async () => {
    const big = (i: number): Serie => gauge(`big.${i}`, { points: Array.from({ length: 4_000 }, (_, j) => ({ timestamp: TS + j, value: j })) });
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib' });
    await serializer.sendSeries(many(4, big));
    expect(forwarder.payloads.map(pointsIn)).toEqual([8_000, 8_000]);
  });

  it('sends a series of exactly 10 000 points, drops one of 10 001 and counts it', async () => {
    const withPoints = (n: number) => gauge(`p.${n}`, { points: Array.from({ length: n }, (_, j) => ({ timestamp: TS + j, value: 1 })) });
    const { serializer, forwarder, telemetry } = await telemetryOf({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib' });
    await serializer.sendSeries([withPoints(10_000), withPoints(10_001), gauge('after')]);
    expect(names(forwarder.payloads)).toEqual(['p.10000', 'after']);
    expect(telemetry()['dropped.too_big']).toBe(1);
  });
});

describe('v2 series: serializer_max_series_uncompressed_payload_size (5 242 880)', () => {
  it('keeps every payload within the default limits for 60 000 series with long tags', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib', DD_SERIALIZER_MAX_SERIES_POINTS_PER_PAYLOAD: '1000000' });
    const input = many(60_000, (i) => gauge(`m.${i}`, { tags: [`tag:${'v'.repeat(100)}`, `i:${i}`] }));
    await serializer.sendSeries(input);
    const sizes = forwarder.payloads.map(inflated);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(5_242_880);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(5_242_880);
    for (const p of forwarder.payloads) expect(p.body.length).toBeLessThanOrEqual(512_000);
    expect(names(forwarder.payloads)).toHaveLength(60_000);
  });

  it('splits at a lowered limit and drops (and counts) a series bigger than it on its own', async () => {
    const { serializer, forwarder, telemetry } = await telemetryOf({
      DD_SERIALIZER_COMPRESSOR_KIND: 'zlib',
      DD_SERIALIZER_MAX_SERIES_UNCOMPRESSED_PAYLOAD_SIZE: '2048',
    });
    const input = many(200);
    input.splice(100, 0, gauge('huge', { tags: ['x'.repeat(3000)] }));
    await serializer.sendSeries(input);
    for (const p of forwarder.payloads) expect(inflated(p)).toBeLessThanOrEqual(2048);
    expect(forwarder.payloads.length).toBeGreaterThan(1);
    expect(names(forwarder.payloads)).toEqual(many(200).map((s) => s.name));
    expect(telemetry()['dropped.too_big']).toBe(1);
  });
});

describe('v2 series: serializer_max_series_payload_size (512 000 compressed)', () => {
  it('cuts on the compressed size when series compress badly, and loses nothing', async () => {
    const { serializer, forwarder, telemetry } = await telemetryOf({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib', DD_SERIALIZER_MAX_SERIES_PAYLOAD_SIZE: '4096' });
    const input = many(100, (i) => gauge(`r.${i}`, { tags: [`rnd:${incompressible(200, i + 1)}`] }));
    await serializer.sendSeries(input);
    expect(forwarder.payloads.length).toBeGreaterThan(1);
    for (const p of forwarder.payloads) expect(p.body.length).toBeLessThanOrEqual(4096);
    expect(names(forwarder.payloads)).toEqual(input.map((s) => s.name));
    // The pending bytes' bound did not fit, so they were compressed to check the exact size.
    expect(telemetry()['repacks']).toBeGreaterThan(0);
  });

  it('fills payloads up to the compressed limit when series compress well (cut on compressed size, not uncompressed)', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib', DD_SERIALIZER_MAX_SERIES_PAYLOAD_SIZE: '4096' });
    const input = many(3000, (i) => gauge(`m.${i}`, { tags: ['env:prod', 'service:checkout', `i:${i}`] }));
    await serializer.sendSeries(input);
    const bodies = forwarder.payloads.map((p) => p.body.length);
    for (const size of bodies) expect(size).toBeLessThanOrEqual(4096);
    // Each but the last was cut because the next series would not fit 4096 compressed bytes:
    // well filled, and far more than 4096 bytes of series each before compression.
    for (const size of bodies.slice(0, -1)) expect(size).toBeGreaterThan(3500);
    for (const p of forwarder.payloads.slice(0, -1)) expect(inflated(p)).toBeGreaterThan(3 * 4096);
    expect(names(forwarder.payloads)).toEqual(input.map((s) => s.name));
  });

  it('drops (and counts) one series that compresses over the limit on its own', async () => {
    const { serializer, forwarder, telemetry } = await telemetryOf({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib', DD_SERIALIZER_MAX_SERIES_PAYLOAD_SIZE: '4096' });
    await serializer.sendSeries([gauge('small'), gauge('random', { tags: [incompressible(8000)] }), gauge('small.2')]);
    expect(names(forwarder.payloads).sort()).toEqual(['small', 'small.2']);
    expect(telemetry()['dropped.too_big']).toBe(1);
  });

  it('without compression, the compressed limit bounds the body itself', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none', DD_SERIALIZER_MAX_SERIES_PAYLOAD_SIZE: '2048' });
    await serializer.sendSeries(many(300));
    expect(forwarder.payloads.length).toBeGreaterThan(1);
    for (const p of forwarder.payloads) expect(p.body.length).toBeLessThanOrEqual(2048);
    expect(names(forwarder.payloads)).toHaveLength(300);
  });

  it('without compression, a body is cut only at the limit: what was packed is never counted twice (same cut every time)', async () => {
    // ~300 kB in several 128 KiB packs: one payload under 512 000, however the packs' accounting interleaves.
    for (let round = 0; round < 5; round++) {
      const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
      await serializer.sendSeries(many(3_000, (i) => gauge(`m.${i}`, { tags: [`a:${'x'.repeat(60)}`, `i:${i}`] })));
      expect(forwarder.payloads.map((p) => p.body.length).some((n) => n > 256 * 1024)).toBe(true);
      expect(forwarder.payloads).toHaveLength(1);
    }
  });
});

describe('other payloads: serializer_max_payload_size / serializer_max_uncompressed_payload_size', () => {
  const env = { DD_SERIALIZER_COMPRESSOR_KIND: 'zlib', DD_SERIALIZER_MAX_UNCOMPRESSED_PAYLOAD_SIZE: '4096', DD_USE_V2_API_SERIES: 'false' };
  const countAll = (payloads: Payload[]): number => payloads.reduce((n, p) => n + decodedItemCount(decode(p)), 0);

  it.each([
    ['sketches', (s: PayloadSerializer) => s.sendSketches(Array.from({ length: 100 }, (_, i) => sketch(`s.${i}`)))],
    ['events', (s: PayloadSerializer) => s.sendEvents(Array.from({ length: 100 }, (_, i) => event(`e.${i}`, i % 3 === 0 ? { sourceTypeName: `src${i % 2}` } : {})))],
    ['service checks', (s: PayloadSerializer) => s.sendServiceChecks(Array.from({ length: 100 }, (_, i) => serviceCheck(`c.${i}`)))],
    ['v1 series', (s: PayloadSerializer) => s.sendSeries(many(100))],
  ])('splits %s within the uncompressed limit, every item delivered', async (_kind, send) => {
    const { app, forwarder } = await serializerWithFake(env);
    await send(app.get(SERIALIZER) as PayloadSerializer);
    expect(forwarder.payloads.length).toBeGreaterThan(1);
    for (const p of forwarder.payloads) expect(inflated(p)).toBeLessThanOrEqual(4096);
    expect(countAll(forwarder.payloads)).toBe(100);
    expect(forwarder.payloads.reduce((n, p) => n + p.itemCount, 0)).toBe(100);
  });

  it('keeps the compressed size within serializer_max_payload_size', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib', DD_SERIALIZER_MAX_PAYLOAD_SIZE: '2048' });
    await serializer.sendEvents(Array.from({ length: 50 }, (_, i) => event(`e.${i}`, { text: incompressible(300, i + 1) })));
    expect(forwarder.payloads.length).toBeGreaterThan(1);
    for (const p of forwarder.payloads) expect(p.body.length).toBeLessThanOrEqual(2048);
    expect(countAll(forwarder.payloads)).toBe(50);
  });

  it('drops (and counts) an event too big on its own', async () => {
    const { serializer, forwarder, telemetry } = await telemetryOf(env);
    await serializer.sendEvents([event('ok'), event('huge', { text: 'x'.repeat(5000) })]);
    expect(countAll(forwarder.payloads)).toBe(1);
    expect(telemetry()['dropped.too_big']).toBe(1);
  });
});
