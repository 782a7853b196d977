import { afterEach, describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { loadConfig } from '@agentkit/config';
import { AGENTKIT_VERSION, bundle, createApp, provide } from '@agentkit/core';
import { startLocalIntake, type HttpLocalIntake } from '@agentkit/intake';
import { startTestIntake, startTestProxy, type TestIntake } from '@agentkit/testing';
import { DDTAGS_MAX_CHARS, DEBUGGER_PROXY, DEBUGGER_PROXY_OPTIONS, debuggerBundle, debuggerConfigKeys, HttpDebuggerProxy, type DebuggerProxyOptions } from '../src/index.js';
import { post, recordingLogger, symdbUpload, TestReceiver } from './support/receiver.js';

const API_KEY = 'fedcba9876543210fedcba9876543210';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function configFrom(env: Record<string, string>) {
  return loadConfig({ keys: debuggerConfigKeys, env: { DD_HOSTNAME: 'web-1', DD_FORWARDER_BACKOFF_BASE: '0.01', DD_FORWARDER_BACKOFF_MAX: '0.05', ...env } });
}

async function proxyBehindReceiver(env: Record<string, string>, options: DebuggerProxyOptions = {}) {
  const logger = recordingLogger();
  const proxy = new HttpDebuggerProxy(configFrom(env), logger, options);
  const receiver = await TestReceiver.start(proxy);
  cleanups.push(async () => {
    await receiver.close();
    await proxy.onStop(AbortSignal.timeout(2000));
  });
  return { proxy, receiver, logger };
}

async function testIntake(options?: Parameters<typeof startTestIntake>[0]): Promise<TestIntake> {
  const intake = await startTestIntake(options);
  cleanups.push(() => intake.close());
  return intake;
}

async function localIntake(): Promise<HttpLocalIntake> {
  const intake = await startLocalIntake({ port: 0 });
  cleanups.push(() => intake.onStop());
  return intake;
}

const HOST_TAGS = `host:web-1,default_env:none,agent_version:${AGENTKIT_VERSION}`;
const SNAPSHOTS = JSON.stringify([
  { service: 'checkout', message: 'Cart total computed', ddsource: 'dd_debugger', debugger: { snapshot: { probe: { id: 'p-1' } } } },
  { service: 'checkout', message: 'Cart total computed', ddsource: 'dd_debugger', debugger: { snapshot: { probe: { id: 'p-1' } } } },
]);

describe('the debugger proxies', () => {
  it('/debugger/v2/input: to apm_config.debugger_diagnostics_dd_url with DD-EVP-ORIGIN agent-debugger and the agent tags in ddtags', async () => {
    const intake = await testIntake();
    const { receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_DEBUGGER_DIAGNOSTICS_DD_URL: `${intake.url}/api/v2/debugger` });

    const answer = await post(`${receiver.url}/debugger/v2/input?ddtags=runtime-id:r1`, Buffer.from(SNAPSHOTS), { 'Content-Type': 'application/json' });

    expect(answer.status).toBe(202);
    const [request] = intake.debuggerRequests();
    expect(request?.headers).toMatchObject({ 'dd-api-key': API_KEY, 'dd-evp-origin': 'agent-debugger', 'dd-request-id': expect.any(String) });
    expect(new URL(request?.path ?? '', intake.url).searchParams.get('ddtags')).toBe(`${HOST_TAGS},runtime-id:r1`);
    expect(request?.debugger).toMatchObject({ path: '/api/v2/debugger', items: 2, service: 'checkout', sample: 'Cart total computed', headers: { evpOrigin: 'agent-debugger', ddtags: `${HOST_TAGS},runtime-id:r1` } });
  });

  it('/debugger/v1/diagnostics (an event-only multipart body) and /debugger/v1/input reach the local intake, which shows them', async () => {
    const intake = await localIntake();
    const { proxy, receiver } = await proxyBehindReceiver({ DD_LOCAL_INTAKE_PORT: String(intake.port) });
    const form = new FormData();
    const diagnostics = [{ service: 'checkout', ddsource: 'dd_debugger', debugger: { diagnostics: { probeId: 'p-1', runtimeId: 'r1', status: 'INSTALLED' } } }];
    form.append('event', new Blob([JSON.stringify(diagnostics)], { type: 'application/json' }), 'event.json');
    const encoded = new Response(form);

    const first = await post(`${receiver.url}/debugger/v1/diagnostics`, Buffer.from(await encoded.arrayBuffer()), { 'Content-Type': encoded.headers.get('content-type') ?? '' });
    const second = await post(`${receiver.url}/debugger/v1/input`, Buffer.from(SNAPSHOTS), { 'Content-Type': 'application/json' });

    expect([first.status, second.status]).toEqual([202, 202]);
    const uploads = (await (await fetch(`${intake.url}/api/local/debugger`)).json()) as { path: string; items: number; sample?: string; parts?: string[]; headers: Record<string, string> }[];
    expect(uploads.map((u) => [u.path, u.items, u.sample])).toEqual([
      ['/debugger/v1/diagnostics', 1, 'INSTALLED p-1'],
      ['/debugger/v1/input', 2, 'Cart total computed'],
    ]);
    expect(uploads[0]?.parts).toEqual(['event']);
    for (const u of uploads) expect(u.headers).toMatchObject({ evpOrigin: 'agent-debugger', ddtags: HOST_TAGS });
    expect(uploads.every((u) => u.headers['apiKey'] === undefined)).toBe(true);
    expect(proxy.telemetry()).toMatchObject({ forwarded: 2, 'forwarded_by_route.debugger_diagnostics': 1, 'forwarded_by_route.debugger_logs': 1 });
  });

  it('cuts the agent tags in ddtags to 4001 characters, as the Agent does', async () => {
    const intake = await testIntake();
    const { receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_DEBUGGER_DD_URL: `${intake.url}/debugger/v1/input` });
    await post(`${receiver.url}/debugger/v1/input?ddtags=${'x'.repeat(5000)}`, Buffer.from(SNAPSHOTS), { 'Content-Type': 'application/json' });
    await intake.waitForRequests(1);
    const tags = new URL(intake.requests[0]?.path ?? '', intake.url).searchParams.get('ddtags') ?? '';
    expect(tags.length).toBe(DDTAGS_MAX_CHARS);
    expect(tags.startsWith(HOST_TAGS)).toBe(true);
  });

  it('goes through proxy.http, as every agentkit HTTP client does', async () => {
    const intake = await testIntake();
    const forwardProxy = await startTestProxy();
    cleanups.push(() => forwardProxy.close());
    const { receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger`, DD_PROXY_HTTP: forwardProxy.url });
    const upload = await symdbUpload('checkout');

    expect((await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType })).status).toBe(202);
    expect(forwardProxy.requests.map((r) => [r.kind, r.url])).toEqual([['forward', `${intake.url}/api/v2/debugger`]]);
    expect(intake.symdbRequests()).toHaveLength(1);
  });

  it('copies an upload to the additional endpoints with their own keys; the main intake answers the tracer', async () => {
    const main = await testIntake();
    const extra = await testIntake({ sequences: { symdb: [500] } });
    const { proxy, receiver } = await proxyBehindReceiver({
      DD_API_KEY: API_KEY,
      DD_APM_SYMDB_DD_URL: `${main.url}/api/v2/debugger`,
      DD_APM_SYMDB_ADDITIONAL_ENDPOINTS: JSON.stringify({ [`${extra.url}/api/v2/debugger`]: ['extra-key-1', 'extra-key-2'] }),
    });
    const upload = await symdbUpload('checkout');

    expect((await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType })).status).toBe(202);
    expect(extra.requests.map((r) => r.headers['dd-api-key']).sort()).toEqual(['extra-key-1', 'extra-key-2']);
    expect(proxy.telemetry()).toMatchObject({ forwarded: 1, additional_forwarded: 1, 'failed.additional_http_500': 1 });
  });
});

describe('bodies and limits', () => {
  const limits: DebuggerProxyOptions = { maxBodyBytes: 256 * 1024, retryBufferBytes: 32 * 1024 };

  it('a body over the limit by Content-Length: 413 before anything is forwarded, counted', async () => {
    const intake = await testIntake();
    const { proxy, receiver, logger } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` }, limits);

    const answer = await post(`${receiver.url}/symdb/v1/input`, Buffer.alloc(300 * 1024, 1), { 'Content-Type': 'multipart/form-data; boundary=x' });

    expect([answer.status, answer.text]).toEqual([413, 'request body over 262144 bytes\n']);
    expect(intake.requests).toHaveLength(0);
    expect(proxy.telemetry()).toMatchObject({ 'refused.body_too_large': 1, forwarded: 0 });
    expect(logger.lines.some((l) => l.includes('body_too_large'))).toBe(true);
  });

  it('a chunked body that passes the limit while streamed: the upstream request is cut, 413, nothing kept', async () => {
    const intake = await testIntake();
    const { proxy, receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` }, limits);
    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(8 * 1024, 2));

    const answer = await post(`${receiver.url}/symdb/v1/input`, Readable.from(chunks), { 'Content-Type': 'multipart/form-data; boundary=x' });

    expect(answer.status === 413 || answer.status === 0).toBe(true);
    expect(proxy.telemetry()).toMatchObject({ 'refused.body_too_large': 1, forwarded: 0 });
    expect(intake.requests.filter((r) => r.accepted)).toHaveLength(0);
  });

  it('a body over the retry buffer but under the limit: streamed once, arrives whole, not retried', async () => {
    const intake = await testIntake({ sequences: { symdb: [503] } });
    const { proxy, receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` }, limits);
    const upload = await symdbUpload('checkout', Array.from({ length: 3000 }, (_, i) => `src/generated/module-${i}-${Math.random().toString(36)}.js`));
    expect(upload.body.length).toBeGreaterThan(32 * 1024);

    expect((await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType })).status).toBe(503);
    expect((await post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType })).status).toBe(202);

    expect(intake.requests.map((r) => r.status)).toEqual([503, 202]);
    expect(intake.requests[1]?.body.equals(upload.body)).toBe(true);
    expect(proxy.telemetry()).toMatchObject({ retries: 0, forwarded: 1, 'failed.http_503': 1, forwarded_bytes: upload.body.length });
  });
});

describe('the debugger bundle', () => {
  it('builds the proxy from config in an app; on stop, an upload in flight is finished first', async () => {
    const intake = await testIntake({ sequences: { symdb: [{ delayMs: 300 }] } });
    const app = createApp([debuggerBundle], { config: configFrom({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` }) });
    await app.start();
    const proxy = app.get(DEBUGGER_PROXY);
    const receiver = await TestReceiver.start(proxy);
    cleanups.push(() => receiver.close());
    const upload = await symdbUpload('checkout');

    const answered = post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = await app.stop({ timeoutMs: 5000 });

    expect((await answered).status).toBe(202);
    expect([stopped.unfinished, stopped.cut, stopped.failed]).toEqual([[], [], []]);
    expect(intake.symdbRequests()).toHaveLength(1);
  });

  it('takes its limits from DEBUGGER_PROXY_OPTIONS', async () => {
    const app = createApp([debuggerBundle, bundle('limits', [provide(DEBUGGER_PROXY_OPTIONS, { useValue: { maxBodyBytes: 1024 } })])], { config: configFrom({ DD_LOCAL_INTAKE_PORT: '1' }) });
    await app.start();
    cleanups.push(async () => void (await app.stop({ timeoutMs: 2000 })));
    const receiver = await TestReceiver.start(app.get(DEBUGGER_PROXY));
    cleanups.push(() => receiver.close());

    expect((await post(`${receiver.url}/debugger/v2/input`, Buffer.alloc(2048, 0x20), { 'Content-Type': 'application/json' })).status).toBe(413);
    expect(app.telemetry()['DebuggerProxy']).toMatchObject({ 'refused.body_too_large': 1 });
  });
});

describe('after stop', () => {
  it('refuses with 503 (counted), opens no new connection', async () => {
    const intake = await testIntake();
    const proxy = new HttpDebuggerProxy(configFrom({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` }), recordingLogger());
    await proxy.onStop(AbortSignal.timeout(1000));
    const receiver = await TestReceiver.start(proxy);
    cleanups.push(() => receiver.close());

    expect((await post(`${receiver.url}/symdb/v1/input`, Buffer.from('x'), { 'Content-Type': 'multipart/form-data; boundary=x' })).status).toBe(503);
    expect(proxy.telemetry()).toMatchObject({ 'refused.stopped': 1 });
    expect(intake.requests).toHaveLength(0);
  });

  it('an upload still in flight when the stop\'s time is up is cut: 503 to the tracer, counted, and the stop returns', async () => {
    const intake = await testIntake({ sequences: { symdb: [{ hang: true }] } });
    const { proxy, receiver } = await proxyBehindReceiver({ DD_API_KEY: API_KEY, DD_APM_SYMDB_DD_URL: `${intake.url}/api/v2/debugger` });
    const upload = await symdbUpload('checkout');

    const answered = post(`${receiver.url}/symdb/v1/input`, upload.body, { 'Content-Type': upload.contentType });
    await intake.waitForRequests(1);
    await proxy.onStop(AbortSignal.timeout(100));

    expect((await answered).status).toBe(503);
    expect(proxy.telemetry()).toMatchObject({ 'dropped.cut_on_stop': 1, forwarded: 0, inflight: 0 });
  });
});
