import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startTestIntake } from '@agentkit/testing';
import type { TestIntake } from '@agentkit/testing';
import { AGENT_PAYLOAD_VERSION, runtimeHasZstd } from '../src/index.js';
import { event, expectedSketch, expectedV2, serviceCheck, sketch, TS, variedSeries } from './fixtures.js';
import { serializerOverHttp } from './helpers.js';

// Through the real serializer, real compression, a real HTTP POST and the real test intake.
const ENCODINGS = { zlib: 'deflate', none: undefined, zstd: runtimeHasZstd() ? 'zstd' : 'deflate' } as const;

describe.each(Object.keys(ENCODINGS) as (keyof typeof ENCODINGS)[])('round trip with serializer_compressor_kind=%s', (kind) => {
  let intake: TestIntake;
  beforeEach(async () => {
    intake = await startTestIntake();
  });
  afterEach(() => intake.close());

  const start = (env: Record<string, string> = {}) => serializerOverHttp(intake.url, { DD_SERIALIZER_COMPRESSOR_KIND: kind, ...env });

  it('series v2: the intake decodes exactly what went in, with protobuf headers', async () => {
    const { serializer, forwarder } = await start();
    const input = variedSeries();
    await serializer.sendSeries(input);
    await forwarder.settled();
    expect(intake.series()).toEqual(input.map(expectedV2));
    const [request] = intake.payloads('series_v2');
    expect(request?.path).toBe('/api/v2/series');
    expect(request?.headers['content-type']).toBe('application/x-protobuf');
    expect(request?.headers['content-encoding']).toBe(ENCODINGS[kind]);
    expect(request?.headers['dd-agent-payload']).toBe(AGENT_PAYLOAD_VERSION);
  });

  it('sketches: every Dogsketch with its k (sint32) and n (uint32) bins comes back', async () => {
    const { serializer, forwarder } = await start();
    const input = [sketch('latency'), sketch('latency.serverless', { host: '', source: 'serverless-custom', tags: [] })];
    await serializer.sendSketches(input);
    await forwarder.settled();
    expect(intake.sketches()).toEqual(input.map(expectedSketch));
    const [request] = intake.payloads('sketches_v2');
    expect(request?.path).toBe('/api/beta/sketches');
    expect(request?.headers['content-type']).toBe('application/x-protobuf');
    expect(request?.headers['content-encoding']).toBe(ENCODINGS[kind]);
  });

  it('series v1 JSON when use_v2_api.series is false: device field, hidden series left out', async () => {
    const { serializer, forwarder } = await start({ DD_USE_V2_API_SERIES: 'false' });
    const input = variedSeries();
    await serializer.sendSeries(input);
    await forwarder.settled();
    const visible = input.filter((s) => s.noIndex !== true);
    const decoded = intake.seriesV1();
    expect(decoded.map((s) => s.metric)).toEqual(visible.map((s) => s.name));
    expect(decoded.find((s) => s.metric === 'app.disk')).toEqual({
      metric: 'app.disk',
      points: [[TS, 1.5]],
      tags: ['dd.internal.resource:database_instance:db1', 'team:x'],
      host: 'host-a',
      device: 'sda1',
      type: 'gauge',
      interval: 10,
    });
    expect(decoded.find((s) => s.metric === 'app.count')?.source_type_name).toBe('dogstatsd');
    expect(decoded.find((s) => s.metric === 'app.points')?.points).toEqual(visible[7]?.points.map((p) => [p.timestamp, p.value]));
    const [request] = intake.payloads('series_v1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['dd-agent-payload']).toBeUndefined();
  });

  it('events: grouped by source type under "events", with internalHostname', async () => {
    const { serializer, forwarder } = await start();
    const input = [
      event('deploy', { sourceTypeName: 'jenkins', aggregationKey: 'k1', alertType: 'success', priority: 'low' }),
      event('plain', { tags: [] }),
      event('second jenkins', { sourceTypeName: 'jenkins', text: 'ünïcödé "quoted"' }),
    ];
    await serializer.sendEvents(input);
    await forwarder.settled();
    const [request] = intake.payloads('intake');
    expect(request?.path).toBe('/intake/');
    expect(request?.decoded?.kind === 'intake' && request.decoded.payload).toEqual({
      apiKey: '',
      internalHostname: 'test-host',
      events: {
        api: [{ msg_title: 'plain', msg_text: 'text of plain\nline 2', timestamp: TS, priority: 'normal', host: 'host-a', alert_type: 'info' }],
        jenkins: [
          {
            msg_title: 'deploy',
            msg_text: 'text of deploy\nline 2',
            timestamp: TS,
            priority: 'low',
            host: 'host-a',
            tags: ['env:test'],
            alert_type: 'success',
            aggregation_key: 'k1',
            source_type_name: 'jenkins',
          },
          {
            msg_title: 'second jenkins',
            msg_text: 'ünïcödé "quoted"',
            timestamp: TS,
            priority: 'normal',
            host: 'host-a',
            tags: ['env:test'],
            alert_type: 'info',
            source_type_name: 'jenkins',
          },
        ],
      },
    });
  });

  it('service checks: every field, tags null when empty', async () => {
    const { serializer, forwarder } = await start();
    const input = [serviceCheck('app.up'), serviceCheck('db.up', { status: 2, message: 'down: timeout', tags: [], host: '' })];
    await serializer.sendServiceChecks(input);
    await forwarder.settled();
    expect(intake.serviceChecks()).toEqual([
      { check: 'app.up', host_name: 'host-a', timestamp: TS, status: 0, message: '', tags: ['env:test'] },
      { check: 'db.up', host_name: '', timestamp: TS, status: 2, message: 'down: timeout', tags: null },
    ]);
    expect(intake.payloads('check_run_v1')[0]?.path).toBe('/api/v1/check_run');
  });
});
