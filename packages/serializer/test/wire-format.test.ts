import { describe, expect, it } from '@jest/globals';
import { decodePayload } from '../src/index.js';
import { ProtoReader } from '../src/protobuf/proto-reader.js';
import { ProtoWriter } from '../src/protobuf/proto-writer.js';
import { serializerWithFake } from './helpers.js';

// Bytes written by hand from the agent-payload field numbers (reference §4.1 and §4.3), so a
// wrong field number or wire type in the encoder fails here even if the decoder agrees with it.
const hex = (s: string): string => s.replace(/\s+/g, '');
const TS_VARINT = '80 e2 cf aa 06'; // 1 700 000 000
const DOUBLE_1_5 = '00 00 00 00 00 00 f8 3f';
const ORIGIN_DOGSTATSD = '4a 06 0a 04 20 0a 28 0a'; // metadata(9){origin(1){product(4)=10 category(5)=10}}

describe('series v2 bytes', () => {
  it('writes resources, metric, tags, type, interval, points, metadata with the reference field numbers', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
    await serializer.sendSeries([{ name: 'm', host: 'h', tags: ['a:b'], type: 'gauge', interval: 10, points: [{ timestamp: 1_700_000_000, value: 1.5 }] }]);
    const expected = hex(`
      0a 30
        0a 09 0a 04 68 6f 73 74 12 01 68
        12 01 6d
        1a 03 61 3a 62
        28 03
        40 0a
        22 0f 10 ${TS_VARINT} 09 ${DOUBLE_1_5}
        ${ORIGIN_DOGSTATSD}`);
    expect(forwarder.payloads[0]?.body.toString('hex')).toBe(expected);
  });

  it('writes the host resource with an empty name, and metric_type 9 for a hidden series', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
    await serializer.sendSeries([{ name: 'm', host: '', tags: [], type: 'count', interval: 0, points: [], noIndex: true }]);
    const expected = hex(`
      0a 19
        0a 08 0a 04 68 6f 73 74 12 00
        12 01 6d
        28 01
        4a 08 0a 06 18 09 20 0a 28 0a`);
    expect(forwarder.payloads[0]?.body.toString('hex')).toBe(expected);
  });
});

describe('sketch bytes', () => {
  it('writes Dogsketch k as packed zig-zag sint32 and n as packed uint32, then empty payload metadata', async () => {
    const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
    await serializer.sendSketches([
      {
        name: 'd',
        host: 'h',
        tags: ['t'],
        interval: 10,
        points: [{ ts: 1_700_000_000, cnt: 3, min: -1, max: 2, avg: 0.5, sum: 1.5, k: [-1, 0, 5], n: [1, 1, 1] }],
      },
    ]);
    const expected = hex(`
      0a 49
        0a 01 64
        12 01 68
        22 01 74
        3a 36
          08 ${TS_VARINT}
          10 03
          19 00 00 00 00 00 00 f0 bf
          21 00 00 00 00 00 00 00 40
          29 00 00 00 00 00 00 e0 3f
          31 ${DOUBLE_1_5}
          3a 03 01 00 0a
          42 03 01 01 01
        42 06 0a 04 20 0a 28 0a
      12 00`);
    expect(forwarder.payloads[0]?.body.toString('hex')).toBe(expected);
  });
});

describe('ProtoWriter', () => {
  it('writes varints of every size up to 2^53 and reads them back', () => {
    const values = [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 31 - 1, 2 ** 32, 2 ** 35 + 7, Number.MAX_SAFE_INTEGER];
    const w = new ProtoWriter(16);
    for (const v of values) w.varint(v);
    const r = new ProtoReader(w.toBuffer());
    expect(values.map(() => r.varint())).toEqual(values);
    expect(r.done).toBe(true);
  });

  it('writes a negative int64 as 10 bytes of two’s complement', () => {
    const w = new ProtoWriter();
    w.varint(-1);
    expect(w.toBuffer().toString('hex')).toBe('ffffffffffffffffff01');
    expect(new ProtoReader(w.toBuffer()).varint()).toBe(-1);
  });

  it('zig-zags sint32: 0→0, -1→1, 1→2, -2→3, extremes', () => {
    const values = [0, -1, 1, -2, 2 ** 31 - 1, -(2 ** 31)];
    const w = new ProtoWriter();
    for (const v of values) w.sint32(v);
    expect(w.toBuffer().subarray(0, 4).toString('hex')).toBe('00010203');
    const r = new ProtoReader(w.toBuffer());
    expect(values.map(() => r.sint32())).toEqual(values);
  });

  it('moves a nested message when its length needs 2 or 3 bytes', () => {
    for (const size of [127, 128, 16_383, 16_384, 70_000]) {
      const w = new ProtoWriter(8);
      const m = w.beginMessage(1);
      w.raw(Buffer.alloc(size, 'a'));
      w.endMessage(m);
      w.varintField(2, 99);
      const r = new ProtoReader(w.toBuffer());
      expect(r.tag()).toEqual({ field: 1, wireType: 2 });
      expect(r.string()).toBe('a'.repeat(size));
      expect(r.tag()).toEqual({ field: 2, wireType: 0 });
      expect(r.varint()).toBe(99);
    }
  });

  it('writes ASCII, non-ASCII and long strings with their byte length', () => {
    const strings = ['', 'a', 'tag:value', 'Zürich', '🚀', 'x'.repeat(127), 'y'.repeat(128), 'é'.repeat(100), 'z'.repeat(20_000)];
    const w = new ProtoWriter(4);
    for (const s of strings) w.stringField(3, s, true);
    const r = new ProtoReader(w.toBuffer());
    expect(strings.map(() => (r.tag(), r.string()))).toEqual(strings);
  });
});

describe('ProtoReader on malformed input', () => {
  it.each([
    ['a truncated varint', '0a 30 0a 09 0a 04 68 6f 73 74 12 01 68'.replace(/ /g, '')],
    ['a length past the end', '0a7f00'],
    ['field number 0', '0001'],
    ['an unsupported wire type', '0f'],
    ['an 11-byte varint', '08ffffffffffffffffffff01'],
  ])('throws ERR_SERIALIZER_DECODE for %s', (_what, bytes) => {
    expect(() => decodePayload('/api/v2/series', {}, Buffer.from(bytes, 'hex'))).toThrow(expect.objectContaining({ code: 'ERR_SERIALIZER_DECODE' }));
  });
});
