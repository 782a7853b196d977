import { commonConfigKeys, loadConfig } from '@agentkit/config';
import type { Config } from '@agentkit/config';
import { bundle, provide, type Bundle } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { FakeSerializer, fakeSerializerBundle, SERIALIZER, type Serializer } from '@agentkit/serializer';
import type { TimeSamplingDemultiplexer} from '../../src/index.js';
import { aggregatorBundle, aggregatorConfigKeys, DEMULTIPLEXER, type MetricSample, type MetricType } from '../../src/index.js';

export const HOST = 'test-host';

/** A real Config with the aggregator keys, from `DD_*` env values. */
export function configWith(env: Record<string, string> = {}): Config {
  return loadConfig({ keys: [...commonConfigKeys, ...aggregatorConfigKeys], env });
}

/** An app with the real aggregator bundle and `serializer` (a FakeSerializer unless given). */
export async function startAggregator(env: Record<string, string> = {}, serializer: Serializer | Bundle = new FakeSerializer()) {
  const serializerBundle = 'providers' in serializer ? serializer : serializerBundleOf(serializer);
  const app = createTestApp([aggregatorBundle, serializerBundle], { config: configWith(env) });
  await app.start();
  const demux = app.get(DEMULTIPLEXER) as TimeSamplingDemultiplexer;
  return { app, demux };
}

function serializerBundleOf(serializer: Serializer): Bundle {
  return serializer instanceof FakeSerializer ? fakeSerializerBundle(serializer) : bundle('serializer', [provide(SERIALIZER, { useValue: serializer })]);
}

export function sample(name: string, type: MetricType, value: number, timestamp: number, tags: readonly string[] = [], extra: Partial<MetricSample> = {}): MetricSample {
  return { name, type, value, timestamp, tags, host: HOST, sampleRate: 1, ...extra };
}

export const nowSec = (): number => Date.now() / 1000;

/** Polls `predicate` every 10 ms until it holds (or fails after `timeoutMs`). */
export async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
