import { describe, expect, it } from '@jest/globals';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import type { LocalSeries, LocalSketch } from '../src/index.js';
import { getJson, intakeFor, pipelineTo, post } from './helpers.js';

const TS = 1_700_000_000;

function v1(series: { metric: string; points: [number, number | null][]; tags?: string[]; host?: string; type?: string; device?: string }[]): string {
  return JSON.stringify({ series: series.map((s) => ({ tags: [], host: 'h', type: 'gauge', interval: 10, ...s })) });
}

async function send(url: string, body: string): Promise<void> {
  const answer = await post(`${url}${ENDPOINT_PATHS.series_v1}`, body);
  expect(answer.status).toBe(202);
}

describe('series history', () => {
  it('merges points by identity, sorted by time; a count adds up at one timestamp, a gauge keeps the last', async () => {
    const intake = await intakeFor();
    await send(intake.url, v1([{ metric: 'g', points: [[TS + 10, 1]] }, { metric: 'c', type: 'count', points: [[TS, 2]] }]));
    await send(intake.url, v1([{ metric: 'g', points: [[TS, 5], [TS + 10, 9]] }, { metric: 'c', type: 'count', points: [[TS, 3], [TS + 10, 1]] }]));
    // Same name and tags but another host or type: another series.
    await send(intake.url, v1([{ metric: 'g', host: 'other', points: [[TS, 1]] }, { metric: 'g', type: 'rate', points: [[TS, 1]] }]));
    const series = intake.series();
    expect(series.map((s) => [s.metric, s.host, s.type, s.points])).toEqual([
      ['g', 'h', 'gauge', [[TS, 5], [TS + 10, 9]]],
      ['c', 'h', 'count', [[TS, 5], [TS + 10, 1]]],
      ['g', 'other', 'gauge', [[TS, 1]]],
      ['g', 'h', 'rate', [[TS, 1]]],
    ]);
  });

  it('v1 and v2 payloads of one series land in one entry (tags in any order, device as a tag)', async () => {
    const intake = await intakeFor();
    await send(intake.url, v1([{ metric: 'disk.used', device: 'sda1', tags: ['b:2', 'a:1'], points: [[TS, 1]] }]));
    const { app, serializer } = await pipelineTo(intake.url);
    await serializer.sendSeries([{ name: 'disk.used', host: 'h', tags: ['a:1', 'device:sda1', 'b:2'], type: 'gauge', interval: 10, points: [{ timestamp: TS + 10, value: 2 }] }]);
    await app.stop();
    expect(intake.series()).toEqual([{ metric: 'disk.used', tags: ['a:1', 'b:2', 'device:sda1'], host: 'h', type: 'gauge', interval: 10, points: [[TS, 1], [TS + 10, 2]] }]);
  });

  it('keeps the newest local_intake_max_points points per series; late older points do not push newer ones out', async () => {
    const intake = await intakeFor({ DD_LOCAL_INTAKE_MAX_POINTS: '3' });
    await send(intake.url, v1([{ metric: 'm', points: [0, 1, 2, 3, 4].map((i) => [TS + i * 10, i] as [number, number]) }]));
    expect(intake.series()[0]?.points).toEqual([[TS + 20, 2], [TS + 30, 3], [TS + 40, 4]]);
    await send(intake.url, v1([{ metric: 'm', points: [[TS, 99], [TS + 35, 3.5]] }]));
    expect(intake.series()[0]?.points).toEqual([[TS + 30, 3], [TS + 35, 3.5], [TS + 40, 4]]);
    // 2 pushed out by the first payload, the late point itself, and the oldest one after it.
    expect(intake.stats().evicted).toBe(4);
    expect(intake.stats().dropped).toEqual({});
  });

  it('past local_intake_max_contexts a new series is dropped and counted; known ones still get points', async () => {
    const intake = await intakeFor({ DD_LOCAL_INTAKE_MAX_CONTEXTS: '2' });
    await send(intake.url, v1([
      { metric: 'a', points: [[TS, 1]] },
      { metric: 'b', points: [[TS, 1]] },
      { metric: 'c', points: [[TS, 1]] },
      { metric: 'a', tags: ['new:tag'], points: [[TS, 1]] },
    ]));
    await send(intake.url, v1([{ metric: 'a', points: [[TS + 10, 2]] }]));
    expect(intake.series().map((s) => [s.metric, s.points.length])).toEqual([['a', 2], ['b', 1]]);
    expect(intake.stats().dropped).toEqual({ context_limit: 2 });
    expect(intake.telemetry()['dropped.context_limit']).toBe(2);
    expect(intake.stats().stored.series).toBe(2);
  });

  it('a v2 series and a sketches payload are stored item by item up to the limit, and an observer still reads each payload whole', async () => {
    const seen: number[] = [];
    const intake = await intakeFor(
      { DD_LOCAL_INTAKE_MAX_CONTEXTS: '3' },
      {
        onRequest: (r) => {
          if (r.decoded?.kind === 'series_v2') seen.push(r.decoded.payload.series.length);
          if (r.decoded?.kind === 'sketches_v2') seen.push(r.decoded.payload.sketches.length);
        },
      },
    );
    const { app, serializer } = await pipelineTo(intake.url);
    const names = ['s0', 's1', 's2', 's3', 's4'];
    await serializer.sendSeries(names.map((name) => ({ name, host: 'h', tags: ['b:2', 'a:1'], type: 'gauge' as const, interval: 10, points: [{ timestamp: TS, value: 1 }] })));
    await serializer.sendSketches(names.map((name) => ({ name, host: 'h', tags: ['a:1'], interval: 10, points: [{ ts: TS, cnt: 1, min: 1, max: 1, avg: 1, sum: 1, k: new Int32Array([1338]), n: new Uint32Array([1]) }] })));
    await app.stop();
    expect(intake.series().map((s) => [s.metric, s.tags])).toEqual([['s0', ['a:1', 'b:2']], ['s1', ['a:1', 'b:2']], ['s2', ['a:1', 'b:2']]]);
    expect(intake.sketches().map((s) => s.metric)).toEqual(['s0', 's1', 's2']);
    expect(intake.stats().items).toEqual({ series_v2: 5, sketches_v2: 5 });
    expect(intake.stats().dropped).toEqual({ context_limit: 4 });
    expect(seen).toEqual([5, 5]);
  });

  it('a v2 series payload that breaks off is refused whole: not even the series before the break is stored', async () => {
    const intake = await intakeFor();
    const one = Buffer.from([0x0a, 0x05, 0x12, 0x03, 0x61, 0x62, 0x63]); // MetricPayload { series { metric: "abc" } }
    const cut = Buffer.concat([one, Buffer.from([0x0a, 0x09, 0x12, 0x03])]); // a second series, cut short
    const path = `${intake.url}${ENDPOINT_PATHS.series_v2}`;
    expect((await post(path, cut, { 'Content-Type': 'application/x-protobuf' })).status).toBe(400);
    expect(intake.series()).toEqual([]);
    expect(intake.stats().dropped).toEqual({ decode_error: 1 });
    expect((await post(path, one, { 'Content-Type': 'application/x-protobuf' })).status).toBe(202);
    expect(intake.series().map((s) => s.metric)).toEqual(['abc']);
  });

  it('a v1 null or non-finite point is not kept and is counted', async () => {
    const intake = await intakeFor();
    await send(intake.url, v1([{ metric: 'm', points: [[TS, null], [TS + 10, 4]] }]));
    expect(intake.series()[0]?.points).toEqual([[TS + 10, 4]]);
    expect(intake.stats().dropped).toEqual({ invalid_point: 1 });
  });

  it('?metric=<name> filters series and sketches', async () => {
    const intake = await intakeFor();
    await send(intake.url, v1([{ metric: 'one', points: [[TS, 1]] }, { metric: 'two', points: [[TS, 2]] }, { metric: 'one', tags: ['x:y'], points: [[TS, 3]] }]));
    const one = await getJson<LocalSeries[]>(`${intake.url}/api/local/series?metric=one`);
    expect(one.map((s) => s.tags)).toEqual([[], ['x:y']]);
    expect(await getJson<LocalSeries[]>(`${intake.url}/api/local/series?metric=none`)).toEqual([]);
    expect(await getJson<LocalSketch[]>(`${intake.url}/api/local/sketches?metric=one`)).toEqual([]);
  });
});

describe('events and service checks history', () => {
  it('keeps the latest local_intake_max_events of each, oldest first', async () => {
    const intake = await intakeFor({ DD_LOCAL_INTAKE_MAX_EVENTS: '2' });
    for (const title of ['e1', 'e2', 'e3']) {
      const body = JSON.stringify({ apiKey: '', internalHostname: 'h', events: { api: [{ msg_title: title, msg_text: '', timestamp: TS, host: 'h' }] } });
      expect((await post(`${intake.url}${ENDPOINT_PATHS.intake}`, body)).status).toBe(202);
    }
    const checks = [0, 1, 2, 3].map((status) => ({ check: `c${status}`, host_name: 'h', timestamp: TS, status, message: '', tags: null }));
    expect((await post(`${intake.url}${ENDPOINT_PATHS.check_run_v1}`, JSON.stringify(checks))).status).toBe(202);
    expect(intake.events().map((e) => e.title)).toEqual(['e2', 'e3']);
    expect(intake.events()[0]).toMatchObject({ alertType: 'info', priority: 'normal', tags: [] });
    expect(intake.serviceChecks().map((c) => [c.check, c.statusName, c.tags])).toEqual([
      ['c2', 'CRITICAL', []],
      ['c3', 'UNKNOWN', []],
    ]);
    expect(intake.stats()).toMatchObject({ evicted: 3, stored: { events: 2, serviceChecks: 2 }, items: { intake: 3, check_run_v1: 4 } });
  });
});
