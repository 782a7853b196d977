import { afterEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@agentkit/config';
import { AGENTKIT_VERSION } from '@agentkit/core';
import { startLocalIntake, type HttpLocalIntake } from '@agentkit/intake';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { debuggerConfigKeys, HttpDebuggerProxy, type DebuggerProxyOptions } from '../src/index.js';
import { post, recordingLogger, symdbUpload, TestReceiver } from './support/receiver.js';

const API_KEY = 'abcdef0123456789abcdef0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The proxy built from `env` (DD_*), behind a real receiver; stopped after the test. */
async function proxyBehindReceiver(env: Record<string, string>, options: DebuggerProxyOptions = {}) {
  const logger = recordingLogger();
  const config = loadConfig({ keys: debuggerConfigKeys, env: { DD_HOSTNAME: 'web-1', DD_ENV: 'staging', DD_FORWARDER_BACKOFF_BASE: '0.01', DD_FORWARDER_BACKOFF_MAX: '0.05', ...env } });
  const proxy = new HttpDebuggerProxy(config, logger, options);
  const receiver = await TestReceiver.start(proxy);
  cleanups.push(async () => {
    await receiver.close();
    await proxy.onStop(AbortSignal.timeout(2000));
  });
  return { proxy, receiver, logger };
}

async function localIntake(): Promise<HttpLocalIntake> {
  const intake = await startLocalIntake({ port: 0 });
  cleanups.push(() => intake.onStop());
  return intake;
}

async function testIntake(options?: Parameters<typeof startTestIntake>[0]): Promise<TestIntake> {
  const intake = await startTestIntake(options);
  cleanups.push(() => intake.close());
  return intake;
}

const HOST_TAGS = `host:web-1,default_env:staging,agent_version:${AGENTKIT_VERSION}`;

describe('the symdb proxy (/symdb/v1/input)', () => {
  it('with no API key: a multipart upload posted to the receiver arrives at the local intake with the agent\'s headers', async () => {
    const intake = await localIntake();
    const { proxy, receiver } = await proxyBehindReceiver({ DD_LOCAL_INTAKE_PORT: String(intake.port) });
    const upload = await symdbUpload('checkout');

    const answer = await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType, 'X-Datadog-Additional-Tags': 'runtime-id:b1f0c7d2', 'User-Agent': 'dd-trace-js/5.40.0' });

    expect(answer.status).toBe(202);
    const [kept] = intake.symdbUploads();
    expect(kept).toMatchObject({ path: '/symdb/v1/input', service: 'checkout', version: '1.4.2', env: 'staging', language: 'javascript', scopeCount: 2, fileCount: 2, compressedBytes: upload.fileBytes });
    expect(kept?.headers).toEqual({
      evpOrigin: 'agent-symdb',
      requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      additionalTags: `${HOST_TAGS},runtime-id:b1f0c7d2`,
      userAgent: 'dd-trace-js/5.40.0',
    });
    // The page reads the same record.
    const page = (await (await fetch(`${intake.url}/api/local/symdb`)).json()) as { headers: unknown }[];
    expect(page[0]?.headers).toEqual(kept?.headers);
    expect(proxy.telemetry()).toMatchObject({ requests: 1, forwarded: 1, 'forwarded_by_route.symdb': 1, forwarded_bytes: upload.body.length, retries: 0 });
  });

  it('with an API key and apm_config.symdb_dd_url: posted to that URL with DD-API-KEY, the key never logged', async () => {
    const intake = await testIntake();
    const { proxy, receiver, logger } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` });
    const upload = await symdbUpload('billing');

    const answer = await post(`${receiver.url}/symdb/v1/input?ddtags=team:pay`, upload.body, { 'Content-Type': upload.contentType });

    expect(answer.status).toBe(202);
    const [request] = intake.symdbRequests();
    expect(request?.path).toBe('/api/v2/debugger?ddtags=team%3Apay');
    expect(request?.headers).toMatchObject({ 'dd-api-key': API_KEY, 'dd-evp-origin': 'agent-symdb', 'x-datadog-additional-tags': `${HOST_TAGS},team:pay` });
    expect(request?.body.equals(upload.body)).toBe(true);
    expect(intake.intake.symdbUploads()[0]?.headers?.apiKey).toBe(`${'*'.repeat(API_KEY.length - 5)}${API_KEY.slice(-5)}`);
    expect(proxy.telemetry()['forwarded']).toBe(1);
    expect(logger.lines.join('\n')).not.toContain(API_KEY);
  });

  it('an intake that refuses then accepts: the same upload is sent again (same DD-REQUEST-ID) and the tracer gets the final answer', async () => {
    const intake = await testIntake({ sequences: { symdb: [503, { status: 500, delayMs: 20 }] } });
    const { proxy, receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` });
    const upload = await symdbUpload('checkout');

    const answer = await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType });

    expect(answer.status).toBe(202);
    expect(intake.requests.map((r) => r.status)).toEqual([503, 500, 202]);
    expect(new Set(intake.requests.map((r) => r.headers['dd-request-id'])).size).toBe(1);
    expect(intake.requests.every((r) => r.body.equals(upload.body))).toBe(true);
    expect(intake.intake.symdbUploads()).toHaveLength(1);
    expect(proxy.telemetry()).toMatchObject({ forwarded: 1, retries: 2 });
  });

  it('an intake that keeps refusing: retried up to the attempt limit, then its status is the answer, counted and logged', async () => {
    const intake = await testIntake({ sequences: { symdb: [503, 503, 503, 503] } });
    const { proxy, receiver, logger } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` }, { maxAttempts: 3 });
    const upload = await symdbUpload('checkout');

    const answer = await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType });

    expect(answer.status).toBe(503);
    expect(intake.requests).toHaveLength(3);
    expect(proxy.telemetry()).toMatchObject({ forwarded: 0, retries: 2, 'failed.http_503': 1 });
    expect(logger.lines.some((l) => l.includes('"level":"warn"') && l.includes('http_503'))).toBe(true);
  });

  it('a refusal for the payload itself (400) is not retried', async () => {
    const intake = await testIntake({ sequences: { symdb: [400] } });
    const { proxy, receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` });
    const upload = await symdbUpload('checkout');

    expect((await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType })).status).toBe(400);
    expect(intake.requests).toHaveLength(1);
    expect(proxy.telemetry()).toMatchObject({ retries: 0, 'failed.http_400': 1 });
  });

  it('an intake that cannot be reached: 502 to the tracer after the retries, counted as unreachable', async () => {
    const closed = await testIntake();
    const url = `${closed.url}/api/v2/debugger`;
    await closed.close();
    const { proxy, receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: url });
    const upload = await symdbUpload('checkout');

    const answer = await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType });

    expect(answer.status).toBe(502);
    expect(answer.text).toContain('ECONNREFUSED');
    expect(proxy.telemetry()).toMatchObject({ retries: 2, 'failed.unreachable': 1 });
  });
});
