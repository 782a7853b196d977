import { describe, expect, it } from '@jest/globals';
import zlib from 'node:zlib';
import type { Payload } from '@agentkit/forwarder';
import { decodePayload, decodeSeriesV2, decompressBody, forEachSeriesV2, forEachSketch, payloadKindOf, runtimeHasZstd } from '../src/index.js';
import type { DecodedMetricSeries, DecodedSketch, Serializer } from '../src/index.js';
import { expectedSketch, expectedV2, gauge, sketch, variedSeries } from './fixtures.js';
import { serializerWithFake } from './helpers.js';

const checks = Buffer.from('[{"check":"a","host_name":"h","timestamp":1,"status":0,"message":"","tags":null}]');

describe('decompressBody', () => {
  it.each([
    ['deflate', zlib.deflateSync(checks)],
    ['gzip', zlib.gzipSync(checks)],
    ['identity', checks],
    ['', checks],
    [' DEFLATE ', zlib.deflateSync(checks)],
  ])('reads Content-Encoding "%s"', (encoding, body) => {
    expect(decompressBody(body, encoding).equals(checks)).toBe(true);
  });

  it('rejects an unknown encoding with ERR_SERIALIZER_CONTENT_ENCODING', () => {
    expect(() => decompressBody(checks, 'br')).toThrow(expect.objectContaining({ code: 'ERR_SERIALIZER_CONTENT_ENCODING' }));
  });

  (runtimeHasZstd() ? it.skip : it)('rejects zstd on a runtime without it with ERR_SERIALIZER_CONTENT_ENCODING', () => {
    expect(() => decompressBody(checks, 'zstd')).toThrow(expect.objectContaining({ code: 'ERR_SERIALIZER_CONTENT_ENCODING' }));
  });

  it('rejects a corrupt deflate stream with ERR_SERIALIZER_DECODE', () => {
    expect(() => decompressBody(Buffer.from('not deflate'), 'deflate')).toThrow(expect.objectContaining({ code: 'ERR_SERIALIZER_DECODE' }));
  });

  it('refuses to inflate past the output limit (a decompression bomb)', () => {
    const bomb = zlib.deflateSync(Buffer.alloc(2 * 1024 * 1024));
    expect(() => decompressBody(bomb, 'deflate', 1024 * 1024)).toThrow(expect.objectContaining({ code: 'ERR_SERIALIZER_DECODE' }));
  });
});

describe('decodePayload', () => {
  it('routes by path, query string allowed', () => {
    expect(payloadKindOf('/api/v2/series?x=1')).toBe('series_v2');
    expect(payloadKindOf('/api/v1/validate')).toBeUndefined();
    expect(decodePayload('/api/v1/check_run', { 'content-encoding': 'deflate' }, zlib.deflateSync(checks))).toEqual({
      kind: 'check_run_v1',
      payload: [{ check: 'a', host_name: 'h', timestamp: 1, status: 0, message: '', tags: null }],
    });
  });

  it.each([
    ['/api/v1/series', '{"series":[{"metric":"a"}]}'],
    ['/api/v1/series', '{"nope":[]}'],
    ['/intake/', '{"events":{"api":[{"msg_text":"no title"}]}}'],
    ['/intake/', '{"events":[]}'],
    ['/api/v1/check_run', '{"check":"a"}'],
    ['/api/v1/check_run', '[{"check":"a"'],
    ['/api/v1/unknown', '[]'],
  ])('rejects a malformed body for %s: %s', (path, body) => {
    expect(() => decodePayload(path, {}, Buffer.from(body))).toThrow(expect.objectContaining({ code: 'ERR_SERIALIZER_DECODE' }));
  });

  it('reads a series v2 field it does not know by skipping it (forward compatible)', () => {
    // series { metric(2)="m", unknown field 15 (varint)=1, unit(6)="s" }
    const body = Buffer.from('0a08' + '12016d' + '7801' + '320173', 'hex');
    const decoded = decodePayload('/api/v2/series', {}, body);
    expect(decoded.kind === 'series_v2' && decoded.payload.series[0]).toMatchObject({ metric: 'm', unit: 's' });
  });
});

describe('forEachSeriesV2 / forEachSketch', () => {
  /** The uncompressed body the real serializer sends for `send`. */
  async function bodyOf(endpoint: 'series_v2' | 'sketches_v2', send: (s: Serializer) => Promise<unknown>): Promise<Buffer> {
    const { app, serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none' });
    await send(serializer);
    await app.stop();
    const [payload] = forwarder.for(endpoint);
    return Buffer.from((payload as Payload).body);
  }

  it('visit each item as decodeSeriesV2 / decodeSketches list it, and count them', async () => {
    const series = variedSeries();
    const body = await bodyOf('series_v2', (s) => s.sendSeries(series));
    const visited: DecodedMetricSeries[] = [];
    expect(forEachSeriesV2(body, (s) => visited.push(s))).toBe(series.length);
    expect(visited).toEqual(decodeSeriesV2(body).series);
    expect(visited).toEqual(series.map(expectedV2));
    const sketches = [sketch('a'), sketch('b', { tags: ['x:1'] })];
    const sketchBody = await bodyOf('sketches_v2', (s) => s.sendSketches(sketches));
    const seen: DecodedSketch[] = [];
    expect(forEachSketch(sketchBody, (s) => seen.push(s))).toBe(2);
    expect(seen).toEqual(sketches.map(expectedSketch));
  });

  it('throw ERR_SERIALIZER_DECODE at a cut, after visiting the items before it', async () => {
    const body = await bodyOf('series_v2', (s) => s.sendSeries([gauge('first'), gauge('second')]));
    const names: string[] = [];
    expect(() => forEachSeriesV2(body.subarray(0, body.length - 3), (s) => names.push(s.metric))).toThrow(expect.objectContaining({ code: 'ERR_SERIALIZER_DECODE' }));
    expect(names).toEqual(['first']);
  });
});
