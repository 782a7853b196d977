import { describe, expect, it } from '@jest/globals';
import { deflateSync, gzipSync } from 'node:zlib';
import { AgentSketch } from '@agentkit/aggregator';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import { forEachSeriesV2, forEachSketch, type DecodedMetricSeries, type Dogsketch, type Serie, type SketchSeries } from '@agentkit/serializer';
import { DropCounter, silentLogger } from '@agentkit/core';
import { IntakeHistory } from '../src/history/intake-history.js';
import { FieldFramer } from '../src/http/field-framer.js';
import { INFLATE_CHUNK_BYTES } from '../src/http/inflate-stream.js';
import { StreamedSeriesV2 } from '../src/http/streamed-payload.js';
import type { AnsweredRequest } from '../src/index.js';
import { intakeFor, pipelineTo, post } from './helpers.js';

const TS = 1_700_000_000;

/** Bodies as the real serializer makes them (uncompressed), caught by a real intake. */
async function rawBodies(series: readonly Serie[], sketches: readonly SketchSeries[] = []): Promise<{ series: Buffer[]; sketches: Buffer[] }> {
  const seen: AnsweredRequest[] = [];
  const intake = await intakeFor({}, { onRequest: (r) => seen.push(r) });
  const { app, serializer } = await pipelineTo(intake.url, { DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
  if (series.length > 0) await serializer.sendSeries(series);
  if (sketches.length > 0) await serializer.sendSketches(sketches);
  await app.stop();
  return { series: seen.filter((r) => r.route === 'series_v2').map((r) => r.body), sketches: seen.filter((r) => r.route === 'sketches_v2').map((r) => r.body) };
}

function manySeries(count: number, tagsEach = 5): Serie[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `m.${i % 7}`,
    points: [{ timestamp: TS + (i % 3) * 10, value: i * 0.5 }],
    tags: Array.from({ length: tagsEach }, (_, t) => `t${t}:v${i}`),
    host: `host-${i % 4}`,
    type: (['gauge', 'count', 'rate'] as const)[i % 3] ?? 'gauge',
    interval: 10,
  }));
}

function sketchOf(values: readonly number[], ts = TS): Dogsketch {
  const s = new AgentSketch();
  for (const v of values) s.insert(v);
  return s.finish(ts) as Dogsketch;
}

/** What a whole-buffer decode of `raw` gives: the items, or the error's message. */
function whole(raw: Buffer): { items: DecodedMetricSeries[] } | { error: string } {
  const items: DecodedMetricSeries[] = [];
  try {
    forEachSeriesV2(raw, (s) => items.push(s));
    return { items };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The same, with `raw` pushed through a FieldFramer `chunkBytes` at a time. */
function framed(raw: Buffer, chunkBytes: number): { items: DecodedMetricSeries[] } | { error: string } {
  const items: DecodedMetricSeries[] = [];
  const framer = new FieldFramer((fields) => forEachSeriesV2(fields, (s) => items.push(s)));
  try {
    for (let at = 0; at < raw.length; at += chunkBytes) framer.push(raw.subarray(at, at + chunkBytes));
    framer.end();
    return { items };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('FieldFramer: items decoded as their bytes arrive, as a whole-buffer decode gives them', () => {
  it('a payload split across many chunks, at every size from 1 byte up, gives the same series in the same order', async () => {
    const { series } = await rawBodies(manySeries(300));
    const raw = series[0] as Buffer;
    const expected = whole(raw);
    expect(expected).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ metric: 'm.0' })]) });
    expect((expected as { items: unknown[] }).items).toHaveLength(300);
    for (const chunkBytes of [1, 2, 3, 5, 7, 13, 64, 100, 1000, 4096, raw.length - 1, raw.length, raw.length + 1]) {
      expect(framed(raw, chunkBytes)).toEqual(expected);
    }
  });

  it('a stream cut anywhere is refused with the whole-buffer decode message ("truncated …"), or decodes when cut between items', async () => {
    const { series } = await rawBodies(manySeries(20));
    const raw = series[0] as Buffer;
    let refused = 0;
    for (let cut = 0; cut < raw.length; cut++) {
      const bytes = raw.subarray(0, cut);
      const expected = whole(bytes);
      if ('error' in expected) {
        expect(expected.error).toMatch(/truncated/);
        refused++;
      }
      for (const chunkBytes of [1, 9, 64]) expect(framed(bytes, chunkBytes)).toEqual(expected);
    }
    expect(refused).toBeGreaterThan(raw.length / 2);
  });

  it('corrupt bytes anywhere give the whole-buffer outcome, error message included', async () => {
    const { series } = await rawBodies(manySeries(10));
    const raw = series[0] as Buffer;
    let seed = 7;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const outcomes = new Set<string>();
    for (let trial = 0; trial < 400; trial++) {
      const bytes = Buffer.from(raw);
      const at = Math.floor(next() * bytes.length);
      bytes[at] = Math.floor(next() * 256);
      const expected = whole(bytes);
      if ('error' in expected) outcomes.add(expected.error);
      for (const chunkBytes of [1, 6, 50]) expect(framed(bytes, chunkBytes)).toEqual(expected);
    }
    expect(outcomes.size).toBeGreaterThan(1);
  });

  it('an item larger than a chunk is carried across chunks and decoded whole', async () => {
    const bigTags = Array.from({ length: 300 }, (_, t) => `big${t}:${'x'.repeat(1000)}`);
    const { series } = await rawBodies([...manySeries(3), { ...manySeries(1)[0]!, name: 'big.one', tags: bigTags }, ...manySeries(3)]);
    // Uncompressed, the serializer cuts on the payload's size as sent: the big item may open a payload of its own.
    expect(series.reduce((n, body) => n + (whole(body) as { items: unknown[] }).items.length, 0)).toBe(7);
    const raw = series.find((body) => body.length > 4 * INFLATE_CHUNK_BYTES) as Buffer;
    expect(raw).toBeDefined();
    const expected = whole(raw);
    for (const chunkBytes of [1000, INFLATE_CHUNK_BYTES, 65_537]) expect(framed(raw, chunkBytes)).toEqual(expected);
    const big = (framed(raw, 1000) as { items: DecodedMetricSeries[] }).items.find((s) => s.metric === 'big.one');
    expect(big?.tags).toEqual(bigTags);
  });
});

describe('the intake reads series and sketches payloads from the inflate stream', () => {
  it('a compressed payload of many inflate chunks, with an item larger than a chunk: stored as sent, counted once', async () => {
    const bigTags = Array.from({ length: 200 }, (_, t) => `big${t}:${'y'.repeat(1000)}`);
    const input = [...manySeries(5000), { ...manySeries(1)[0]!, name: 'big.one', tags: bigTags }];
    const { series } = await rawBodies(input);
    const intake = await intakeFor({ DD_LOCAL_INTAKE_MAX_CONTEXTS: '10000' });
    let items = 0;
    for (const [i, raw] of series.entries()) {
      items += (whole(raw) as { items: unknown[] }).items.length;
      const body = i % 2 === 0 ? deflateSync(raw) : gzipSync(raw);
      const answer = await post(`${intake.url}${ENDPOINT_PATHS.series_v2}`, body, { 'Content-Encoding': i % 2 === 0 ? 'deflate' : 'gzip', 'Content-Type': 'application/x-protobuf' });
      expect(answer.status).toBe(202);
    }
    expect(series.reduce((n, raw) => n + raw.length, 0)).toBeGreaterThan(8 * INFLATE_CHUNK_BYTES);
    expect(items).toBe(5001);
    expect(intake.stats().items).toEqual({ series_v2: 5001 });
    const stored = intake.series();
    expect(stored).toHaveLength(5001);
    expect(stored.find((s) => s.metric === 'big.one')?.tags).toEqual([...bigTags].sort());
    expect(stored.find((s) => s.metric === 'm.5' && s.tags.includes('t0:v5'))).toEqual({
      metric: 'm.5',
      tags: ['t0:v5', 't1:v5', 't2:v5', 't3:v5', 't4:v5'],
      host: 'host-1',
      type: 'rate',
      interval: 10,
      points: [[TS + 20, 2.5]],
    });
  });

  it('a truncated stream is refused whole with its reason and counted: nothing of it stored', async () => {
    const { series, sketches } = await rawBodies(manySeries(2000), [{ name: 'lat', host: 'h', tags: ['a:1'], interval: 10, points: [sketchOf([1, 2, 3])] }]);
    const raw = series[0] as Buffer;
    const intake = await intakeFor();
    const cutProtobuf = deflateSync(raw.subarray(0, raw.length - 3));
    const deflated = deflateSync(raw);
    const cutDeflate = deflated.subarray(0, deflated.length >> 1);
    const cutGzip = gzipSync(sketches[0] as Buffer).subarray(0, 30);
    const answers = [
      await post(`${intake.url}${ENDPOINT_PATHS.series_v2}`, cutProtobuf, { 'Content-Encoding': 'deflate' }),
      await post(`${intake.url}${ENDPOINT_PATHS.series_v2}`, cutDeflate, { 'Content-Encoding': 'deflate' }),
      await post(`${intake.url}${ENDPOINT_PATHS.sketches_v2}`, cutGzip, { 'Content-Encoding': 'gzip' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    expect(answers.map((a) => JSON.parse(a.text) as unknown)).toEqual([
      { errors: ['malformed protobuf payload: truncated field'] },
      { errors: ['cannot decompress a deflate body: unexpected end of file'] },
      { errors: ['cannot decompress a gzip body: unexpected end of file'] },
    ]);
    expect(intake.stats().dropped).toEqual({ decode_error: 3 });
    expect(intake.series()).toEqual([]);
    expect(intake.sketches()).toEqual([]);
    // The whole sketches payload, and the series payload, after them: stored.
    expect((await post(`${intake.url}${ENDPOINT_PATHS.sketches_v2}`, gzipSync(sketches[0] as Buffer), { 'Content-Encoding': 'gzip' })).status).toBe(202);
    expect(intake.sketches()).toEqual([expect.objectContaining({ metric: 'lat', points: [expect.objectContaining({ count: 3, min: 1, max: 3 })] })]);
    expect(forEachSketch(sketches[0] as Buffer, () => {})).toBe(1);
  });

  it('a body that inflates past the limit is refused as a decompression bomb', async () => {
    const intake = await intakeFor();
    // Valid protobuf all the way (field 15, 1000 bytes, over and over), so only the limit refuses it.
    const field = Buffer.concat([Buffer.from([0x7a, 0xe8, 0x07]), Buffer.alloc(1000)]);
    const bomb = deflateSync(Buffer.alloc(field.length * 68_000, field));
    const answer = await post(`${intake.url}${ENDPOINT_PATHS.series_v2}`, bomb, { 'Content-Encoding': 'deflate' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ errors: [expect.stringMatching(/^cannot decompress a deflate body: it inflates past 67108864 bytes/)] });
    expect(intake.stats().dropped).toEqual({ decode_error: 1 });
  });

  it('payloads are stored one after the other, in the order accepted: a long one does not interleave with the next', async () => {
    const gauge = (value: number): Serie => ({ name: 'same.gauge', points: [{ timestamp: TS, value }], tags: ['k:v'], host: 'h', type: 'gauge', interval: 10 });
    // The long payload ends with the gauge at 1 (many inflate pieces before it); the short one holds it at 2.
    // 3000 series stay under the series payload's 512 kB, which without compression is the uncompressed size.
    const long = (await rawBodies([...manySeries(3000), gauge(1)])).series;
    const short = (await rawBodies([gauge(2)])).series;
    expect(long).toHaveLength(1);
    const history = new IntakeHistory({ maxPoints: 10, maxContexts: 10_000, maxEvents: 10 }, new DropCounter(silentLogger));
    const first = await StreamedSeriesV2.read(deflateSync(long[0] as Buffer), 'deflate');
    const second = await StreamedSeriesV2.read(deflateSync(short[0] as Buffer), 'deflate');
    const stored = await Promise.all([history.ingest(first, Date.now()), history.ingest(second, Date.now())]);
    expect(stored).toEqual([3001, 1]);
    expect(history.series('same.gauge')).toEqual([{ metric: 'same.gauge', tags: ['k:v'], host: 'h', type: 'gauge', interval: 10, points: [[TS, 2]] }]);
  });
});
