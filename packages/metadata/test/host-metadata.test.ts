import { afterEach, describe, expect, it } from '@jest/globals';
import zlib from 'node:zlib';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { AGENTKIT_VERSION, replace } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { FakeClock, forwarderBundle, forwarderConfigKeys } from '@agentkit/forwarder';
import { serializerConfigKeys } from '@agentkit/serializer';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import {
  HOST_METADATA,
  HOST_METADATA_CLOCK,
  HOST_METADATA_EARLY_INTERVAL_MS,
  HOST_METADATA_INTERVAL_MS,
  hostMetadataBundle,
  metadataConfigKeys,
  nextHostMetadataDelayMs,
} from '../src/index.js';

const keys = [...commonConfigKeys, ...forwarderConfigKeys, ...serializerConfigKeys, ...metadataConfigKeys];
const intakes: TestIntake[] = [];
afterEach(async () => {
  for (const intake of intakes.splice(0)) await intake.close();
});

async function startHostMetadata(env: Record<string, string>, clock = new FakeClock()) {
  const intake = await startTestIntake();
  intakes.push(intake);
  const config = loadConfig({ keys, env: { DD_API_KEY: 'abcdef0123456789abcdef0123456789', DD_DD_URL: intake.url, ...env } });
  const app = createTestApp([forwarderBundle, hostMetadataBundle, replace(HOST_METADATA_CLOCK, clock)], { config });
  await app.start();
  return { app, intake, clock };
}

describe('host metadata (agentkit run)', () => {
  it('is sent at start to /intake/ with tags + extra_tags + env:<env>, each once, as host-tags.system', async () => {
    const { intake } = await startHostMetadata({
      DD_HOSTNAME: 'web-1',
      DD_TAGS: 'team:checkout role:web',
      DD_EXTRA_TAGS: 'zone:b team:checkout',
      DD_ENV: 'prod',
      DD_SERIALIZER_COMPRESSOR_KIND: 'zlib',
    });
    await intake.waitFor(() => intake.hostMetadata().length === 1, 'the host metadata');
    const [request] = intake.payloads('host_metadata');
    expect(request?.path).toBe('/intake/');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['content-encoding']).toBe('deflate');
    expect(request?.headers['dd-api-key']).toBe('abcdef0123456789abcdef0123456789');
    const body = JSON.parse(zlib.inflateSync(request?.body ?? Buffer.alloc(0)).toString('utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({
      apiKey: '',
      agentVersion: AGENTKIT_VERSION,
      internalHostname: 'web-1',
      'host-tags': { system: ['env:prod', 'role:web', 'team:checkout', 'zone:b'] },
      meta: { hostname: 'web-1', 'hostname-resolution-version': 1 },
      network: null,
      gohai: '',
    });
    expect(body['uuid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // Events still decode as events: the metadata is told apart by its fields.
    expect(intake.events()).toEqual([]);
  });

  it('is sent again 5, 20, 50 and 80 minutes after start (the Agent\'s early resend, then every 30 minutes)', async () => {
    const { intake, clock, app } = await startHostMetadata({ DD_TAGS: 'team:a' });
    const sent = (): number => intake.hostMetadata().length;
    await intake.waitFor(() => sent() === 1, 'the first payload');
    const steps: [advanceMs: number, expected: number][] = [
      [HOST_METADATA_EARLY_INTERVAL_MS - 1, 1],
      [1, 2],
      [900_000 - 1, 2],
      [1, 3],
      [HOST_METADATA_INTERVAL_MS, 4],
      [HOST_METADATA_INTERVAL_MS, 5],
    ];
    for (const [advanceMs, expected] of steps) {
      const before = sent();
      clock.advance(advanceMs);
      // The resend timer still pending means it did not fire: nothing was sent early.
      if (expected === before) expect(clock.pendingTimers).toBe(1);
      await intake.waitFor(() => sent() === expected && clock.pendingTimers === 1, `${expected} payload(s)`);
      expect(sent()).toBe(expected);
    }
    expect(app.get(HOST_METADATA).sent).toBe(5);
    await app.stop();
    clock.advance(10 * HOST_METADATA_INTERVAL_MS);
    expect(app.get(HOST_METADATA).sent).toBe(5);
  });

  it('follows the Agent\'s backoff: 300 s, ×3, capped at 1800 s', () => {
    const delays: number[] = [];
    let previous: number | undefined;
    for (let i = 0; i < 5; i++) delays.push((previous = nextHostMetadataDelayMs(previous)));
    expect(delays).toEqual([300_000, 900_000, 1_800_000, 1_800_000, 1_800_000]);
  });

  it('is not sent with enable_metadata_collection off, nor in serverless mode (agentkit exec)', async () => {
    for (const env of [{ DD_ENABLE_METADATA_COLLECTION: 'false' }, { DD_SERVERLESS_ENABLED: 'true' }]) {
      const intake = await startTestIntake();
      intakes.push(intake);
      const config = loadConfig({ keys, env: { DD_API_KEY: 'x', DD_DD_URL: intake.url, ...env } });
      const app = createTestApp([forwarderBundle, hostMetadataBundle], { config });
      await app.start();
      expect(app.find(HOST_METADATA)).toBeUndefined();
      await app.stop();
      expect(intake.hostMetadata()).toEqual([]);
    }
  });
});
