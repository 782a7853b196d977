import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { decodeSeriesV2, decodeSketches, ProtoScanner, type DecodedPayload } from '@agentkit/serializer';
import { DropCounter, silentLogger } from '@agentkit/core';
import { identityHash, scannedSeriesHash, scannedSketchHash } from '../src/history/context-hash.js';
import { identity } from '../src/history/series-store.js';
import { IntakeHistory } from '../src/history/intake-history.js';
import { MAX_SIFTED_BYTES, StreamedSeriesV2, StreamedSketches } from '../src/http/streamed-payload.js';

// A small protobuf writer of our own, so the payloads can hold what the agent's serializer never
// writes (several host resources, other resource types, bytes that are not UTF-8).
function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}
const field = (n: number, body: Buffer): Buffer => Buffer.concat([varint(n * 8 + 2), varint(body.length), body]);
const num = (n: number, value: number): Buffer => Buffer.concat([varint(n * 8), varint(value)]);
const dbl = (n: number, value: number): Buffer => {
  const b = Buffer.alloc(9);
  b[0] = n * 8 + 1;
  b.writeDoubleLE(value, 1);
  return b;
};

/** A string, or raw bytes that are not valid UTF-8 (they decode to U+FFFD). */
type Text = string | readonly number[];
const bytesOf = (t: Text): Buffer => (typeof t === 'string' ? Buffer.from(t) : Buffer.from(t));

interface Series {
  readonly metric: Text;
  readonly tags: readonly Text[];
  readonly resources: readonly { readonly type: Text; readonly name: Text }[];
  readonly type: number;
  readonly points: readonly (readonly [number, number])[];
}

function encodeSeries(s: Series): Buffer {
  const parts = [
    ...s.resources.map((r) => field(1, Buffer.concat([field(1, bytesOf(r.type)), field(2, bytesOf(r.name))]))),
    field(2, bytesOf(s.metric)),
    ...s.tags.map((t) => field(3, bytesOf(t))),
    ...s.points.map(([ts, value]) => field(4, Buffer.concat([dbl(1, value), num(2, ts)]))),
    num(5, s.type),
    num(8, 10),
  ];
  return field(1, Buffer.concat(parts));
}

interface Sketch {
  readonly metric: Text;
  readonly host: Text;
  readonly tags: readonly Text[];
  readonly legacy: number;
  readonly ts: number;
}

function encodeSketch(s: Sketch): Buffer {
  const bucket = Buffer.concat([num(1, s.ts), num(2, 2), dbl(3, 1), dbl(4, 3), dbl(5, 2), dbl(6, 4), field(7, Buffer.from([2, 4])), field(8, Buffer.from([1, 1]))]);
  const parts = [field(1, bytesOf(s.metric)), field(2, bytesOf(s.host)), ...Array.from({ length: s.legacy }, () => field(3, Buffer.alloc(0))), ...s.tags.map((t) => field(4, bytesOf(t))), field(7, bucket)];
  return field(1, Buffer.concat(parts));
}

// Few values each, so contexts repeat (kept ones get points), collide on the limit, and differ only in bytes.
const text: fc.Arbitrary<Text> = fc.constantFrom<Text>('a', 'b', 'é', '', 'x:1', [0xc3], [0xff, 0x61], 'device:sda', 'n\0ul');
const seriesArb: fc.Arbitrary<Series> = fc.record({
  metric: fc.constantFrom<Text>('m.a', 'm.b', 'm.ü', [0xe2, 0x82], 'm\0a'),
  tags: fc.array(text, { maxLength: 3 }),
  resources: fc.array(fc.record({ type: fc.constantFrom<Text>('host', 'device', 'zone', 'hôst', [0x68, 0xff]), name: text }), { maxLength: 3 }),
  type: fc.integer({ min: 0, max: 5 }),
  points: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(1, 2.5, Number.NaN)), { maxLength: 3 }),
});
const sketchArb: fc.Arbitrary<Sketch> = fc.record({
  metric: fc.constantFrom<Text>('d.a', 'd.b', 'd.ß'),
  host: fc.constantFrom<Text>('', 'h1', 'h2', [0xc3]),
  tags: fc.array(text, { maxLength: 3 }),
  legacy: fc.constantFrom(0, 0, 1, 2),
  ts: fc.integer({ min: 1, max: 4 }),
});

/** A history and its drops, as the tests compare them. */
function historyOf(maxContexts: number): { history: IntakeHistory; drops: DropCounter } {
  const drops = new DropCounter(silentLogger);
  return { history: new IntakeHistory({ maxPoints: 3, maxContexts, maxEvents: 10 }, drops), drops };
}

function state({ history, drops }: { history: IntakeHistory; drops: DropCounter }): unknown {
  return { series: history.series(), sketches: history.sketches(), drops: drops.snapshot(), evicted: history.evicted };
}

describe('the history refuses new contexts past its limit from the scanned bytes, as it does once they are decoded', () => {
  // Each payload checked as it arrives (sifted by the history once it is full), then stored; or
  // every payload checked first and stored afterwards, as concurrent requests may be.
  const orders = [
    ['in turn', false],
    ['all checked before any is stored', true],
  ] as const;

  it.each(orders)('series v2 (%s): the same series, points and counters as the decoded payloads give', async (_, checkAllFirst) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(seriesArb, { maxLength: 12 }), { minLength: 1, maxLength: 4 }), async (maxContexts, payloads) => {
        const scanned = historyOf(maxContexts);
        const decoded = historyOf(maxContexts);
        const raws = payloads.map((items) => Buffer.concat(items.map(encodeSeries)));
        const read = (raw: Buffer): Promise<StreamedSeriesV2> => StreamedSeriesV2.read(deflateSync(raw), 'deflate', scanned.history);
        const early = checkAllFirst ? await Promise.all(raws.map(read)) : [];
        for (const [i, raw] of raws.entries()) {
          const streamed = early[i] ?? (await read(raw));
          expect(await scanned.history.ingest(streamed, 1)).toBe(payloads[i]?.length);
          const whole: DecodedPayload = { kind: 'series_v2', payload: decodeSeriesV2(raw) };
          expect(await decoded.history.ingest(whole, 1)).toBe(payloads[i]?.length);
        }
        expect(state(scanned)).toEqual(state(decoded));
      }),
      { numRuns: 200 },
    );
  });

  it.each(orders)('sketches (%s): the same distributions and counters (legacy distributions included) as the decoded payloads give', async (_, checkAllFirst) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(sketchArb, { maxLength: 12 }), { minLength: 1, maxLength: 4 }), async (maxContexts, payloads) => {
        const scanned = historyOf(maxContexts);
        const decoded = historyOf(maxContexts);
        const raws = payloads.map((items) => Buffer.concat(items.map(encodeSketch)));
        const read = (raw: Buffer): Promise<StreamedSketches> => StreamedSketches.read(deflateSync(raw), 'deflate', scanned.history);
        const early = checkAllFirst ? await Promise.all(raws.map(read)) : [];
        for (const [i, raw] of raws.entries()) {
          expect(await scanned.history.ingest(early[i] ?? (await read(raw)), 1)).toBe(payloads[i]?.length);
          expect(await decoded.history.ingest({ kind: 'sketches_v2', payload: decodeSketches(raw) }, 1)).toBe(payloads[i]?.length);
        }
        expect(state(scanned)).toEqual(state(decoded));
      }),
      { numRuns: 200 },
    );
  });

  it(`a full store's payload whose kept items pass ${MAX_SIFTED_BYTES} bytes is inflated again when stored, with the same outcome`, async () => {
    const scanned = historyOf(1);
    const decoded = historyOf(1);
    const big = (ts: number, metric = 'kept'): Series => ({ metric, tags: ['t:1', `pad:${'p'.repeat(600)}`], resources: [{ type: 'host', name: 'h' }], type: 1, points: [[ts, 1]] });
    const first = Buffer.concat([big(1)].map(encodeSeries));
    const second = Buffer.concat(Array.from({ length: 4000 }, (_, i) => encodeSeries(big(i % 5, i % 2 === 0 ? 'kept' : 'new'))));
    expect(second.length / 2).toBeGreaterThan(MAX_SIFTED_BYTES);
    for (const raw of [first, second]) {
      await scanned.history.ingest(await StreamedSeriesV2.read(deflateSync(raw), 'deflate', scanned.history), 1);
      await decoded.history.ingest({ kind: 'series_v2', payload: decodeSeriesV2(raw) }, 1);
    }
    expect(state(scanned)).toEqual(state(decoded));
    expect(scanned.drops.snapshot()).toEqual({ 'dropped.context_limit': 2000 });
  });

  it('a full store refuses new contexts undecoded: counted once per payload, with a metric as the sample; kept ones still get points', async () => {
    const { history, drops } = historyOf(2);
    const series = (metric: string, tags: string[], ts = 1): Series => ({ metric, tags, resources: [{ type: 'host', name: 'h' }], type: 3, points: [[ts, 1]] });
    const first = [series('kept.a', ['x:1']), series('kept.b', ['x:2', 'y:2']), series('new.c', ['x:3']), series('new.d', ['x:4'])];
    const raw = Buffer.concat([...first, series('kept.a', ['x:1'], 2), series('kept.b', ['y:2', 'x:2'], 2), series('kept.b', ['y:2'], 2)].map(encodeSeries));
    expect(await history.ingest(await StreamedSeriesV2.read(deflateSync(raw), 'deflate', history), 1)).toBe(7);
    expect(history.series().map((s) => [s.metric, s.points.length])).toEqual([
      ['kept.a', 2],
      ['kept.b', 2],
    ]);
    expect(drops.snapshot()).toEqual({ 'dropped.context_limit': 3 });
  });
});

describe('identity hashes', () => {
  it('a scanned ASCII series hashes as its stored identity does (host resource, device and other resources as tags, tags in any order)', () => {
    const s: Series = { metric: 'm.a', tags: ['b:2', 'a:1'], resources: [{ type: 'host', name: 'h0' }, { type: 'device', name: 'sda' }, { type: 'zone', name: 'z1' }, { type: 'host', name: 'h1' }], type: 1, points: [] };
    const hashes: number[] = [];
    new ProtoScanner().seriesV2(encodeSeries(s), (scanned) => hashes.push(scannedSeriesHash(scanned) as number));
    const tags = ['a:1', 'b:2', 'dd.internal.resource:zone:z1', 'device:sda'];
    expect(hashes).toEqual([identityHash(identity('m.a', tags, 'h1', 'count'))]);
    expect(hashes[0]).not.toBe(identityHash(identity('m.a', tags, 'h0', 'count')));
  });

  it('hashes an item of thousands of tags as its key, and the next small one too (the scratch space grows and is given back)', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `tag${i}:${'v'.repeat(30)}`);
    const found: (number | undefined)[] = [];
    const scanner = new ProtoScanner();
    for (const tags of [many, ['b', 'a'], many]) scanner.seriesV2(encodeSeries({ metric: 'm', tags, resources: [], type: 3, points: [] }), (s) => found.push(scannedSeriesHash(s)));
    const key = (tags: string[]): number => identityHash(identity('m', [...tags].sort(), '', 'gauge'));
    expect(found).toEqual([key(many), key(['a', 'b']), key(many)]);
  });

  it('has none for an identity with a non-ASCII byte (it is decoded instead)', () => {
    const found: (number | undefined)[] = [];
    const scanner = new ProtoScanner();
    scanner.seriesV2(encodeSeries({ metric: 'm', tags: ['é'], resources: [], type: 0, points: [] }), (s) => found.push(scannedSeriesHash(s)));
    scanner.sketches(encodeSketch({ metric: 'd', host: 'hé', tags: [], legacy: 0, ts: 1 }), (s) => found.push(scannedSketchHash(s)));
    scanner.sketches(encodeSketch({ metric: 'd', host: 'h', tags: ['b', 'a'], legacy: 0, ts: 1 }), (s) => found.push(scannedSketchHash(s)));
    expect(found).toEqual([undefined, undefined, identityHash(identity('d', ['a', 'b'], 'h', 'sketch'))]);
  });
});

describe('stored contexts', () => {
  it('give back their metric, host and tags exactly, NULs and empty tags included (an entry keeps only its key and lengths)', async () => {
    const { history } = historyOf(10);
    const sent = [
      { metric: 'm.a', tags: ['b:2', 'a:1'], host: 'h' },
      { metric: 'm\0x', tags: ['t\0u', 'a'], host: 'h\0' },
      { metric: 'm.e', tags: [''], host: '' },
      { metric: 'm.f', tags: [], host: 'h' },
    ];
    const series = sent.map((s) => ({ resources: [{ type: 'host', name: s.host }], metric: s.metric, tags: s.tags, points: [{ timestamp: 1, value: 1 }], type: 3, unit: '', sourceTypeName: '', interval: 10, origin: undefined }));
    await history.ingest({ kind: 'series_v2', payload: { series } }, 1);
    const sketches = sent.map((s) => ({ metric: s.metric, host: s.host, tags: s.tags, dogsketches: [], distributionCount: 0, origin: undefined }));
    await history.ingest({ kind: 'sketches_v2', payload: { sketches } }, 1);
    const expected = sent.map((s) => ({ metric: s.metric, host: s.host, tags: [...s.tags].sort() }));
    expect(history.series().map(({ metric, host, tags }) => ({ metric, host, tags }))).toEqual(expected);
    expect(history.sketches().map(({ metric, host, tags }) => ({ metric, host, tags }))).toEqual(expected);
    expect(history.series('m\0x').map((s) => s.tags)).toEqual([['a', 't\0u']]);
    expect(history.sketches('m.e')).toHaveLength(1);
  });
});
