import { afterEach } from '@jest/globals';
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import type { App, Logger } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { forwarderBundle, forwarderConfigKeys } from '@agentkit/forwarder';
import { SERIALIZER, serializerBundle, serializerConfigKeys, type Serializer } from '@agentkit/serializer';
import { intakeConfigKeys, startLocalIntake, type HttpLocalIntake, type StartLocalIntakeOptions } from '../src/index.js';

const intakes: HttpLocalIntake[] = [];
afterEach(async () => {
  await Promise.all(intakes.splice(0).map((i) => i.onStop()));
});

/** A real intake on a free port, stopped after the test. `env` sets its config keys (DD_*). */
export async function intakeFor(env: Record<string, string> = {}, options: StartLocalIntakeOptions = {}): Promise<HttpLocalIntake> {
  const config = loadConfig({ keys: [...commonConfigKeys, ...intakeConfigKeys], env });
  const intake = await startLocalIntake({ port: 0, config, ...options });
  intakes.push(intake);
  return intake;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

/** One request with node:http (no keep-alive), the whole answer read. */
export function http(url: string, options: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer | string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function post(url: string, body: Buffer | string, headers: OutgoingHttpHeaders = {}): Promise<HttpAnswer> {
  return http(url, { method: 'POST', body, headers });
}

export async function getJson<T>(url: string): Promise<T> {
  const answer = await http(url);
  if (answer.status !== 200) throw new Error(`GET ${url}: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as T;
}

/**
 * The real serializer and the real forwarder (node:http), shipping to `intakeUrl` (as `dd_url`).
 * Stopping the app drains the forwarder: once `stop()` resolves, every payload was answered.
 */
export async function pipelineTo(intakeUrl: string, env: Record<string, string> = {}, logger?: Logger): Promise<{ app: App; serializer: Serializer }> {
  const config = loadConfig({
    keys: [...commonConfigKeys, ...serializerConfigKeys, ...forwarderConfigKeys],
    env: { DD_API_KEY: 'any-key-works-here', DD_DD_URL: intakeUrl, DD_HOSTNAME: 'test-host', ...env },
  });
  const app = createTestApp([serializerBundle, forwarderBundle], { config, ...(logger === undefined ? {} : { logger }) });
  await app.start();
  return { app, serializer: app.get(SERIALIZER) };
}

/** Polls `check` until it returns true (generous: the machine may be loaded). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
