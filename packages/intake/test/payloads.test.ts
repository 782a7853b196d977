import { describe, expect, it } from '@jest/globals';
import { deflateSync, gzipSync } from 'node:zlib';
import { AgentSketch } from '@agentkit/aggregator';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import { runtimeHasZstd, type Dogsketch, type Serie } from '@agentkit/serializer';
import type { LocalSeries, LocalSketch } from '../src/index.js';
import { getJson, intakeFor, pipelineTo, post, waitFor } from './helpers.js';

const TS = 1_700_000_000;

function serie(name: string, overrides: Partial<Serie> = {}): Serie {
  return { name, points: [{ timestamp: TS, value: 1.5 }], tags: ['env:test'], host: 'host-a', type: 'gauge', interval: 10, ...overrides };
}

function sketchOf(values: readonly number[], ts = TS): Dogsketch {
  const s = new AgentSketch();
  for (const v of values) s.insert(v);
  return s.finish(ts) as Dogsketch;
}

describe('payloads from the real serializer and forwarder', () => {
  it.each(['zlib', 'none'] as const)('series v2 (%s): every type, host from the host resource, device back as a tag, tags sorted', async (kind) => {
    const intake = await intakeFor();
    const { app, serializer } = await pipelineTo(intake.url, { DD_SERIALIZER_COMPRESSOR_KIND: kind });
    await serializer.sendSeries([
      serie('app.gauge', { tags: ['z:1', 'a:2'] }),
      serie('app.count', { type: 'count', points: [{ timestamp: TS, value: 42 }] }),
      serie('app.rate', { type: 'rate', tags: [], host: '' }),
      serie('app.disk', { tags: ['device:sda1', 'team:x'] }),
      serie('app.points', { points: [{ timestamp: TS + 20, value: 3 }, { timestamp: TS, value: 1 }, { timestamp: TS + 10, value: 2 }] }),
    ]);
    await app.stop();

    const series = await getJson<LocalSeries[]>(`${intake.url}/api/local/series`);
    expect(series).toEqual(intake.series());
    const byName = new Map(series.map((s) => [s.metric, s]));
    expect(byName.get('app.gauge')).toEqual({ metric: 'app.gauge', tags: ['a:2', 'z:1'], host: 'host-a', type: 'gauge', interval: 10, points: [[TS, 1.5]] });
    expect(byName.get('app.count')).toMatchObject({ type: 'count', points: [[TS, 42]] });
    expect(byName.get('app.rate')).toMatchObject({ type: 'rate', host: '', tags: [] });
    expect(byName.get('app.disk')?.tags).toEqual(['device:sda1', 'team:x']);
    expect(byName.get('app.points')?.points).toEqual([[TS, 1], [TS + 10, 2], [TS + 20, 3]]);
    expect(intake.stats().items).toEqual({ series_v2: 5 });
  });

  it('series v1 JSON (use_v2_api.series: false) lands in the same store, device field as a tag', async () => {
    const intake = await intakeFor();
    const { app, serializer } = await pipelineTo(intake.url, { DD_USE_V2_API_SERIES: 'false' });
    await serializer.sendSeries([serie('v1.gauge', { tags: ['device:sdb', 'b:1', 'a:1'] }), serie('v1.count', { type: 'count', interval: 10 })]);
    await app.stop();
    expect(intake.series()).toEqual([
      { metric: 'v1.gauge', tags: ['a:1', 'b:1', 'device:sdb'], host: 'host-a', type: 'gauge', interval: 10, points: [[TS, 1.5]] },
      { metric: 'v1.count', tags: ['env:test'], host: 'host-a', type: 'count', interval: 10, points: [[TS, 1.5]] },
    ]);
    expect(intake.stats().requests).toMatchObject({ series_v1: 1 });
  });

  it('sketches: summary as sent, p50/p95/p99 equal to AgentSketch.quantile on the same values', async () => {
    const intake = await intakeFor();
    const { app, serializer } = await pipelineTo(intake.url);
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) * 0.37);
    const reference = new AgentSketch();
    for (const v of values) reference.insert(v);
    await serializer.sendSketches([
      { name: 'latency', host: 'host-a', tags: ['route:/b', 'route:/a'], interval: 10, points: [sketchOf(values, TS + 10), sketchOf([5], TS)] },
    ]);
    await app.stop();

    const sketches = await getJson<LocalSketch[]>(`${intake.url}/api/local/sketches`);
    expect(sketches).toHaveLength(1);
    const [latency] = sketches;
    expect(latency).toMatchObject({ metric: 'latency', host: 'host-a', tags: ['route:/a', 'route:/b'] });
    expect(latency?.points.map((p) => p.ts)).toEqual([TS, TS + 10]);
    expect(latency?.points[0]).toEqual({ ts: TS, count: 1, min: 5, max: 5, avg: 5, sum: 5, p50: 5, p95: 5, p99: 5 });
    const big = latency?.points[1];
    expect(big).toMatchObject({ count: 1000, min: 0.37, max: 370 });
    expect(big?.sum).toBeCloseTo(values.reduce((a, b) => a + b, 0), 6);
    expect(big?.p50).toBe(reference.quantile(0.5));
    expect(big?.p95).toBe(reference.quantile(0.95));
    expect(big?.p99).toBe(reference.quantile(0.99));
    // The sketch is accurate to about 1 %.
    expect(Math.abs((big?.p50 ?? 0) - 185) / 185).toBeLessThan(0.01);
  });

  it('events and service checks, oldest first, with their fields', async () => {
    const intake = await intakeFor();
    const { app, serializer } = await pipelineTo(intake.url);
    await serializer.sendEvents([
      { title: 'Deploy', text: 'v2 is out', timestamp: TS, host: 'host-a', tags: ['env:test'], priority: 'normal', alertType: 'success', aggregationKey: 'k1', sourceTypeName: 'jenkins' },
      { title: 'Plain', text: '', timestamp: TS + 1, host: 'host-a', tags: [], priority: 'low', alertType: 'info' },
    ]);
    await serializer.sendServiceChecks([
      { name: 'app.up', status: 0, timestamp: TS, host: 'host-a', tags: ['env:test'], message: '' },
      { name: 'db.up', status: 2, timestamp: TS, host: 'host-a', tags: [], message: 'refused' },
    ]);
    await app.stop();

    const events = intake.events();
    expect(events.map((e) => e.title).sort()).toEqual(['Deploy', 'Plain']);
    expect(events.find((e) => e.title === 'Deploy')).toMatchObject({
      text: 'v2 is out',
      timestamp: TS,
      host: 'host-a',
      tags: ['env:test'],
      priority: 'normal',
      alertType: 'success',
      aggregationKey: 'k1',
      sourceTypeName: 'jenkins',
    });
    expect(events[0]?.receivedAtMs).toEqual(expect.any(Number));
    expect(await getJson(`${intake.url}/api/local/events`)).toEqual(events);

    const checks = await getJson<unknown[]>(`${intake.url}/api/local/service_checks`);
    expect(checks).toEqual([
      expect.objectContaining({ check: 'app.up', status: 0, statusName: 'OK', host: 'host-a', tags: ['env:test'], timestamp: TS }),
      expect.objectContaining({ check: 'db.up', status: 2, statusName: 'CRITICAL', message: 'refused' }),
    ]);
    expect(intake.stats().items).toMatchObject({ intake: 2, check_run_v1: 2 });
  });

  it('the forwarder validated its API key against /api/v1/validate', async () => {
    const intake = await intakeFor();
    const { app, serializer } = await pipelineTo(intake.url);
    await serializer.sendSeries([serie('x')]);
    // Validation runs in the background from the forwarder's start.
    await waitFor(() => (intake.stats().requests['validate'] ?? 0) >= 1, 'the API key validation request');
    await app.stop();
    expect(intake.series().map((s) => s.metric)).toEqual(['x']);
  });
});

describe('compressed bodies posted directly', () => {
  const v1 = JSON.stringify({ series: [{ metric: 'raw.metric', points: [[TS, 7]], tags: ['t:1'], host: 'h', type: 'gauge', interval: 10 }] });

  it.each([
    ['gzip', gzipSync(v1)],
    ['deflate', deflateSync(v1)],
    ['identity', Buffer.from(v1)],
  ])('Content-Encoding %s', async (encoding, body) => {
    const intake = await intakeFor();
    const answer = await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, body, { 'Content-Encoding': encoding, 'Content-Type': 'application/json' });
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.text)).toEqual({});
    expect(intake.series()).toEqual([{ metric: 'raw.metric', tags: ['t:1'], host: 'h', type: 'gauge', interval: 10, points: [[TS, 7]] }]);
  });

  it('zstd: decoded where the runtime has it, else 415 and counted', async () => {
    const intake = await intakeFor();
    const zlib = await import('node:zlib');
    const compress = (zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer }).zstdCompressSync;
    const body = compress === undefined ? Buffer.from('not really zstd') : compress(Buffer.from(v1));
    const answer = await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, body, { 'Content-Encoding': 'zstd' });
    if (runtimeHasZstd()) {
      expect(answer.status).toBe(202);
      expect(intake.series()).toHaveLength(1);
    } else {
      expect(answer.status).toBe(415);
      expect(intake.stats().dropped).toEqual({ unsupported_encoding: 1 });
    }
  });

  it('a query string (api_key=…) does not change the route', async () => {
    const intake = await intakeFor();
    const answer = await post(`${intake.url}${ENDPOINT_PATHS.series_v1}?api_key=abc`, v1);
    expect(answer.status).toBe(202);
    expect(intake.series()).toHaveLength(1);
  });
});
