import { describe, expect, it } from '@jest/globals';
import { SERIALIZER } from '../src/index.js';
import type { PayloadSerializer, Serie } from '../src/index.js';
import { event, gauge, serviceCheck, sketch } from './fixtures.js';
import { serializerWithFake } from './helpers.js';

describe('PayloadSerializer lifecycle', () => {
  it('onStop waits for a batch still being serialized: every payload reaches the forwarder', async () => {
    const { app, serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib' });
    const pending = serializer.sendSeries(Array.from({ length: 30_000 }, (_, i) => gauge(`m.${i}`)));
    await app.stop();
    expect(forwarder.payloads.reduce((n, p) => n + p.itemCount, 0)).toBe(30_000);
    await pending;
  });

  it('after stop, input is counted as dropped (stopped), never submitted, and the promise resolves', async () => {
    const { app, serializer, forwarder } = await serializerWithFake();
    const component = app.get(SERIALIZER) as PayloadSerializer;
    await app.stop();
    await expect(serializer.sendSeries([gauge('late')])).resolves.toBeUndefined();
    await serializer.sendEvents([event('late')]);
    expect(forwarder.payloads).toHaveLength(0);
    expect(component.telemetry()['dropped.stopped']).toBe(2);
  });

  it('counts payloads, items and bytes per endpoint in telemetry', async () => {
    const { app, serializer } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib' });
    await serializer.sendSeries([gauge('a'), gauge('b')]);
    await serializer.sendSketches([sketch('d')]);
    await serializer.sendServiceChecks([serviceCheck('c')]);
    const t = (app.get(SERIALIZER) as PayloadSerializer).telemetry();
    expect(t).toMatchObject({ 'payloads.series_v2': 1, 'payloads.sketches_v2': 1, 'payloads.check_run_v1': 1, items: 4 });
    expect(t['bytes.compressed']).toBeGreaterThan(0);
    expect(t['bytes.uncompressed']).toBeGreaterThan(0);
  });

  it('enable_payloads.*=false sends nothing of that kind and counts it as disabled', async () => {
    const { app, serializer, forwarder } = await serializerWithFake({ DD_ENABLE_PAYLOADS_SERIES: 'false', DD_ENABLE_PAYLOADS_EVENTS: 'false' });
    await serializer.sendSeries([gauge('a')]);
    await serializer.sendEvents([event('e')]);
    await serializer.sendServiceChecks([serviceCheck('c')]);
    expect(forwarder.payloads.map((p) => p.endpoint)).toEqual(['check_run_v1']);
    expect((app.get(SERIALIZER) as PayloadSerializer).telemetry()).toMatchObject({ 'disabled.series': 1, 'disabled.events': 1 });
  });

  it('an item that cannot be encoded is dropped and counted; the rest of the batch is sent', async () => {
    const { app, serializer, forwarder } = await serializerWithFake();
    const broken = { ...gauge('broken'), points: undefined } as unknown as Serie;
    await serializer.sendSeries([gauge('ok.1'), broken, gauge('ok.2')]);
    expect(forwarder.payloads[0]?.itemCount).toBe(2);
    expect((app.get(SERIALIZER) as PayloadSerializer).telemetry()['dropped.encode_failed']).toBe(1);
  });

  it('submits nothing for empty input', async () => {
    const { serializer, forwarder } = await serializerWithFake();
    await serializer.sendSeries([]);
    await serializer.sendSketches([]);
    expect(forwarder.payloads).toHaveLength(0);
  });
});
