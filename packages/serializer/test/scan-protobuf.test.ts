import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { forEachSeriesV2, forEachSketch, ProtoScanner, type ScannedSeries, type ScannedSketch } from '../src/index.js';
import type { DecodedMetricSeries, DecodedSketch, Serializer } from '../src/index.js';
import { sketch, variedSeries } from './fixtures.js';
import { serializerWithFake } from './helpers.js';

/** A varint as protobuf writes it (non-negative values). */
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** A 10-byte varint: a negative int64, or (with the last byte's high bit) one too long. */
const longVarint = fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 9, maxLength: 9 }), fc.integer({ min: 0, max: 255 })).map(([head, last]) => [...head.map((b) => b | 0x80), last]);

const varintBytes: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 300 }).map(varint) },
  { weight: 2, arbitrary: fc.maxSafeNat().map(varint) },
  { weight: 1, arbitrary: longVarint },
);

/** Field numbers the decoders know (1–9), some they do not, and 0 (refused). */
const fieldNumber = fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 10, 15, 16, 300) });
const wireType = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(0, 1, 2, 2, 5) }, { weight: 1, arbitrary: fc.constantFrom(3, 4, 6, 7) });
const ascii = fc.string({ maxLength: 12 }).map((s) => [...Buffer.from(s)]);

/** Protobuf-shaped bytes: fields of every wire type, nested messages, some garbage; mostly well formed, often not. */
const message: fc.Memo<number[]> = fc.memo((depth) => {
  const body = (wt: number): fc.Arbitrary<number[]> => {
    switch (wt) {
      case 0:
        return varintBytes;
      case 1:
        return fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 8 });
      case 5:
        return fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
      case 2: {
        const inner =
          depth <= 1
            ? ascii
            : fc.oneof({ weight: 2, arbitrary: ascii }, { weight: 4, arbitrary: message(depth - 1) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }) });
        return fc.oneof({ weight: 8, arbitrary: inner.map((b) => [...varint(b.length), ...b]) }, { weight: 1, arbitrary: fc.tuple(varintBytes, inner).map(([l, b]) => [...l, ...b]) });
      }
      default:
        return fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 });
    }
  };
  const field = fc.tuple(fieldNumber, wireType).chain(([f, wt]) => body(wt).map((b) => [...varint(f * 8 + wt), ...b]));
  return fc.array(field, { maxLength: depth <= 1 ? 4 : 6 }).map((fields) => fields.flat());
});

/** A whole payload: item fields (field 1, length-delimited) around items, and other top-level fields. */
const payload = fc
  .array(fc.oneof({ weight: 5, arbitrary: message(3).map((m) => [0x0a, ...varint(m.length), ...m]) }, { weight: 1, arbitrary: message(1) }), { maxLength: 4 })
  .map((parts) => Buffer.from(parts.flat()));

/** A payload cut short, with a byte changed, or with a byte's low 3 bits (a key's wire type) changed. */
function mutated(base: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return base.chain((b) =>
    b.length === 0
      ? fc.constant(b)
      : fc.oneof(
          fc.integer({ min: 0, max: b.length - 1 }).map((n) => b.subarray(0, n)),
          fc.tuple(fc.integer({ min: 0, max: b.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
            const c = Buffer.from(b);
            c[at] = v;
            return c;
          }),
          fc.tuple(fc.integer({ min: 0, max: b.length - 1 }), fc.integer({ min: 0, max: 7 })).map(([at, wt]) => {
            const c = Buffer.from(b);
            c[at] = ((c[at] as number) & ~7) | wt;
            return c;
          }),
        ),
  );
}

const text = (s: { bytes: Buffer }, start: number, end: number): string => s.bytes.toString('utf8', start, end);
const spans = (s: { bytes: Buffer }, list: ScannedSeries['tags']): string[] => Array.from({ length: list.count }, (_, i) => text(s, list.start(i), list.end(i)));

/** What the scanner sees of a series, in the decoder's terms. */
function seenSeries(s: ScannedSeries): Pick<DecodedMetricSeries, 'metric' | 'tags' | 'type' | 'resources'> {
  const types = spans(s, s.resourceTypes);
  const names = spans(s, s.resourceNames);
  return { metric: text(s, s.metricStart, s.metricEnd), tags: spans(s, s.tags), type: s.type, resources: types.map((type, i) => ({ type, name: names[i] ?? '' })) };
}

function seenSketch(s: ScannedSketch): Pick<DecodedSketch, 'metric' | 'host' | 'tags' | 'distributionCount'> {
  return { metric: text(s, s.metricStart, s.metricEnd), host: text(s, s.hostStart, s.hostEnd), tags: spans(s, s.tags), distributionCount: s.distributionCount };
}

type Outcome<T> = { items: T[] } | { error: string };

function outcome<T>(run: (visit: (item: T) => void) => number): Outcome<T> {
  const items: T[] = [];
  try {
    const n = run((item) => items.push(item));
    expect(n).toBe(items.length);
    return { items };
  } catch (error) {
    expect(error).toMatchObject({ code: 'ERR_SERIALIZER_DECODE' });
    return { error: (error as Error).message };
  }
}

const scanner = new ProtoScanner();

function sameAsDecoder(bytes: Buffer): void {
  const series = outcome<unknown>((v) => forEachSeriesV2(bytes, (s) => v({ metric: s.metric, tags: s.tags, type: s.type, resources: s.resources })));
  expect(outcome<unknown>((v) => scanner.seriesV2(bytes, (s) => v(seenSeries(s))))).toEqual(series);
  const sketches = outcome<unknown>((v) => forEachSketch(bytes, (s) => v({ metric: s.metric, host: s.host, tags: s.tags, distributionCount: s.distributionCount })));
  expect(outcome<unknown>((v) => scanner.sketches(bytes, (s) => v(seenSketch(s))))).toEqual(sketches);
}

async function realBodies(send: (s: Serializer) => Promise<void>): Promise<Buffer[]> {
  const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
  await send(serializer);
  return forwarder.payloads.map((p) => p.body);
}

describe('ProtoScanner (against the decoder)', () => {
  it('accepts what forEachSeriesV2 / forEachSketch accept and refuses what they refuse, with their message', () => {
    fc.assert(fc.property(fc.oneof(payload, mutated(payload)), sameAsDecoder), { numRuns: 3000 });
  });

  it('reads real serializer payloads as the decoder does, and refuses every cut or changed one as it does', async () => {
    const bodies = [
      ...(await realBodies((s) => s.sendSeries(variedSeries()))),
      ...(await realBodies((s) => s.sendSketches([sketch('d.a'), sketch('d.b', { tags: ['x:1', 'device:sda'], host: 'h2' })]))),
    ];
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) sameAsDecoder(body);
    fc.assert(fc.property(mutated(fc.constantFrom(...bodies)), sameAsDecoder), { numRuns: 2000 });
  });

  it('hands on each item whole: its span decodes to what the decoder gives', async () => {
    const [body] = await realBodies((s) => s.sendSeries(variedSeries()));
    const whole: DecodedMetricSeries[] = [];
    forEachSeriesV2(body as Buffer, (s) => whole.push(s));
    const { decodeSeriesV2At } = await import('../src/index.js');
    const again: DecodedMetricSeries[] = [];
    scanner.seriesV2(body as Buffer, (s) => again.push(decodeSeriesV2At(s.bytes, s.start, s.end)));
    expect(again).toEqual(whole);
  });
});
