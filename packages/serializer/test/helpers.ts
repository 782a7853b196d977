import { request } from 'node:http';
import { bundle, provide } from '@agentkit/core';
import type { App, Bundle, Logger } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { FORWARDER, FakeForwarder, fakeForwarderBundle } from '@agentkit/forwarder';
import type { Forwarder, Payload } from '@agentkit/forwarder';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import { SERIALIZER, serializerBundle, serializerConfigKeys } from '../src/index.js';
import type { Serializer } from '../src/index.js';

/**
 * The smallest real-HTTP sender: POSTs each payload once to `baseUrl` with node:http, no
 * retries. Enough to carry the serializer's output to the test intake without the forwarder.
 */
export class HttpPostForwarder implements Forwarder {
  readonly #baseUrl: string;
  readonly #inflight = new Set<Promise<number>>();
  public readonly statuses: number[] = [];

  public constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  public submit(payload: Payload): void {
    const sent = post(`${this.#baseUrl}${ENDPOINT_PATHS[payload.endpoint]}`, payload).then((status) => {
      this.statuses.push(status);
      return status;
    });
    this.#inflight.add(sent);
    void sent.finally(() => this.#inflight.delete(sent));
  }

  /** Resolves when every submitted payload was answered. */
  public async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all(this.#inflight);
  }

  public onStop(): Promise<void> {
    return this.settled();
  }
}

function post(url: string, payload: Payload): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { ...payload.headers, 'Content-Length': payload.body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(payload.body);
  });
}

/** A real Config with the serializer's keys; `env` as DD_* variables. */
export function serializerConfig(env: Record<string, string> = {}): ReturnType<typeof loadConfig> {
  return loadConfig({ keys: [...commonConfigKeys, ...serializerConfigKeys], env: { DD_HOSTNAME: 'test-host', ...env } });
}

/** Starts the real serializer against `forwarder`; the app is stopped after the test. */
export async function startSerializer(
  forwarderBundle: Bundle,
  env: Record<string, string> = {},
  logger?: Logger,
): Promise<{ app: App; serializer: Serializer }> {
  const app = createTestApp([forwarderBundle, serializerBundle], { config: serializerConfig(env), ...(logger ? { logger } : {}) });
  await app.start();
  return { app, serializer: app.get(SERIALIZER) };
}

/** The real serializer over a FakeForwarder that records payloads. */
export async function serializerWithFake(
  env: Record<string, string> = {},
  logger?: Logger,
): Promise<{ app: App; serializer: Serializer; forwarder: FakeForwarder }> {
  const forwarder = new FakeForwarder();
  const { app, serializer } = await startSerializer(fakeForwarderBundle(forwarder), env, logger);
  return { app, serializer, forwarder };
}

/** The real serializer over an HttpPostForwarder to `url`. */
export async function serializerOverHttp(
  url: string,
  env: Record<string, string> = {},
): Promise<{ app: App; serializer: Serializer; forwarder: HttpPostForwarder }> {
  const forwarder = new HttpPostForwarder(url);
  const { app, serializer } = await startSerializer(bundle('forwarder', [provide(FORWARDER, { useValue: forwarder })]), env);
  return { app, serializer, forwarder };
}


