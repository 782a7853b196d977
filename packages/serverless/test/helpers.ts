import { aggregatorBundle, aggregatorConfigKeys } from '@agentkit/aggregator';
import { commonConfigKeys, loadConfig, type AnyConfigKey, type Config } from '@agentkit/config';
import type { App, Bundle } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { dogstatsdConfigKeys } from '@agentkit/dogstatsd';
import { forwarderBundle, forwarderConfigKeys } from '@agentkit/forwarder';
import { serializerBundle, serializerConfigKeys } from '@agentkit/serializer';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { serverlessConfigKeys, serverlessConfigLayers, withServerlessTags, type CloudService } from '../src/index.js';

export const API_KEY = '0123456789abcdef0123456789abcdef';

/** Every key an `agentkit exec` app reads (the agent's full collection, minus unrelated packages). */
export const execKeys: readonly AnyConfigKey[] = [
  ...commonConfigKeys,
  ...aggregatorConfigKeys,
  ...serializerConfigKeys,
  ...forwarderConfigKeys,
  ...dogstatsdConfigKeys,
  ...serverlessConfigKeys,
];

/** The config `agentkit exec` would load on `cloud`: its layers around `env` (and a file, if given), then its tags. */
export function execConfig(cloud: CloudService, env: Record<string, string> = {}, file?: string): Config {
  const { defaults, forced } = serverlessConfigLayers();
  const loaded = loadConfig({
    keys: execKeys,
    env,
    runtimeDefaults: defaults,
    runtimeDefaultsFrom: 'agentkit exec',
    overrides: forced,
    ...(file === undefined ? {} : { file }),
  });
  return withServerlessTags(loaded, cloud).config;
}

/**
 * A started app with the real pipeline down to a real local intake, plus `extra` bundles, on
 * `cloud`'s exec config (or a plain agent's, without the serverless layers, when `cloud` is null).
 */
export async function startPipeline(
  cloud: CloudService | null,
  extra: readonly Bundle[],
  env: Record<string, string> = {},
): Promise<{ app: App; intake: TestIntake; close: () => Promise<void> }> {
  const intake = await startTestIntake();
  // A long flush interval: everything reaches the intake through the stop-time flush.
  const fullEnv = { DD_API_KEY: API_KEY, DD_DD_URL: intake.url, DD_AGGREGATOR_FLUSH_INTERVAL: '3600', ...env };
  const config = cloud === null ? loadConfig({ keys: execKeys, env: fullEnv }) : execConfig(cloud, fullEnv);
  const app = createTestApp([aggregatorBundle, serializerBundle, forwarderBundle, ...extra], { config });
  await app.start();
  const close = async (): Promise<void> => {
    await app.stop().catch(() => undefined);
    await intake.close();
  };
  return { app, intake, close };
}

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
