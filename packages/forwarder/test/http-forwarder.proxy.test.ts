import { afterEach, describe, expect, it } from '@jest/globals';
import { makeTestCertificate, startTestIntake, startTestProxy, type TestIntake, type TestProxy, type TestProxyOptions } from '@agentkit/testing';
import { API_KEY, logText, startForwarder, testPayload, waitFor, type StartedForwarder } from './helpers.js';

const USER = 'agent';
const PASSWORD = 'pr0xy-s3cret';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An intake that answers 202 to every payload (the bodies here are not real metrics). */
async function intake(tls = false): Promise<TestIntake> {
  const options = tls ? { tls: await makeTestCertificate() } : {};
  // The made-up names a test proxy resolves to 127.0.0.1 must pass the intake's Host check.
  const started = await startTestIntake({ ...options, allowedHosts: ['intake.example.test'], respond: (r) => (r.method === 'POST' ? { status: 202 } : undefined) });
  cleanups.push(() => started.close());
  return started;
}

async function proxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const started = await startTestProxy(options);
  cleanups.push(() => started.close());
  return started;
}

async function forwarder(env: Record<string, string>): Promise<StartedForwarder> {
  const started = await startForwarder(env);
  // Registered after the intake and proxy: undone first, so its stop drains into live servers.
  cleanups.push(() => started.stop());
  return started;
}

const posts = (i: TestIntake): number => i.requests.filter((r) => r.method === 'POST').length;

describe('forwarder through a proxy', () => {
  it('sends http:// payloads to proxy.http as absolute-URI requests (DD_PROXY_HTTP)', async () => {
    const target = await intake();
    const forward = await proxy();
    const { forwarder: fwd, logs } = await forwarder({ DD_DD_URL: target.url, DD_PROXY_HTTP: forward.url });

    fwd.submit(testPayload());
    // The proxy records a forwarded request when the intake's answer comes back through it.
    await waitFor(() => forward.requests.some((r) => r.method === 'POST'));
    const passed = forward.requests.filter((r) => r.method === 'POST');
    expect(passed).toEqual([expect.objectContaining({ kind: 'forward', target: `127.0.0.1:${target.port}`, url: `${target.url}/api/v2/series`, status: 202 })]);
    expect(target.requests.find((r) => r.method === 'POST')?.headers['dd-api-key']).toBe(API_KEY);
    const started = logs.find((l) => l.msg === 'forwarder started');
    expect(started?.obj['destinations']).toEqual([expect.objectContaining({ url: target.url, proxy: forward.url })]);
  });

  it('tunnels https:// payloads through proxy.https with CONNECT, sending the URL’s credentials and logging none', async () => {
    const target = await intake(true);
    const connect = await proxy({ auth: { username: USER, password: PASSWORD } });
    const { forwarder: fwd, logs } = await forwarder({ DD_DD_URL: target.url, HTTPS_PROXY: connect.url, DD_SKIP_SSL_VALIDATION: 'true' });

    fwd.submit(testPayload());
    await waitFor(() => posts(target) === 1);
    const tunnels = connect.requests.filter((r) => r.kind === 'connect');
    expect(tunnels.length).toBeGreaterThanOrEqual(1);
    expect(tunnels[0]).toMatchObject({ method: 'CONNECT', target: `127.0.0.1:${target.port}`, proxyAuthorization: BASIC, status: 200 });
    // The intake sees the request itself, not the proxy's credentials.
    expect(target.requests.every((r) => r.headers['proxy-authorization'] === undefined)).toBe(true);
    const text = logText(logs);
    expect(text).toContain(`http://${USER}:********@127.0.0.1:${connect.port}`);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(BASIC.slice('Basic '.length));
  });

  it('checks the API key through the proxy too', async () => {
    const target = await intake(true);
    const connect = await proxy();
    await forwarder({ DD_DD_URL: target.url, DD_PROXY_HTTPS: connect.url, DD_SKIP_SSL_VALIDATION: 'true' });

    await waitFor(() => target.requests.some((r) => r.path === '/api/v1/validate'));
    expect(connect.requests.some((r) => r.kind === 'connect' && r.target === `127.0.0.1:${target.port}`)).toBe(true);
    expect(target.requests.find((r) => r.path === '/api/v1/validate')?.headers['dd-api-key']).toBe(API_KEY);
  });

  it('counts and logs a refused proxy login (407), without the credentials', async () => {
    const target = await intake(true);
    const connect = await proxy({ auth: { username: USER, password: 'another-password' } });
    const proxyUrl = `http://${USER}:${PASSWORD}@127.0.0.1:${connect.port}`;
    const { forwarder: fwd, logs } = await forwarder({ DD_DD_URL: target.url, DD_PROXY_HTTPS: proxyUrl, DD_SKIP_SSL_VALIDATION: 'true' });

    fwd.submit(testPayload());
    await waitFor(() => (fwd.telemetry()['payloads_failed.series_v2'] ?? 0) >= 1);
    expect(posts(target)).toBe(0);
    expect(connect.requests.some((r) => r.status === 407 && r.proxyAuthorization === BASIC)).toBe(true);
    const failure = logs.find((l) => l.msg.startsWith('sending a payload failed'));
    expect(failure?.obj).toMatchObject({ proxy: `http://${USER}:********@127.0.0.1:${connect.port}` });
    expect(String(failure?.obj['message'])).toContain('407');
    expect(fwd.telemetry()['transactions.failed']).toBeGreaterThanOrEqual(1);
    expect(logText(logs)).not.toContain(PASSWORD);
  });

  it('counts and logs an unreachable proxy, with the reason and without the credentials', async () => {
    const target = await intake(true);
    const gone = await startTestProxy();
    const port = gone.port;
    await gone.close();
    const { forwarder: fwd, logs } = await forwarder({ DD_DD_URL: target.url, DD_PROXY_HTTPS: `http://${USER}:${PASSWORD}@127.0.0.1:${port}` });

    fwd.submit(testPayload());
    await waitFor(() => (fwd.telemetry()['transactions.failed'] ?? 0) >= 1);
    const failure = logs.find((l) => l.msg.startsWith('sending a payload failed'));
    expect(failure?.obj).toMatchObject({ error: 'ECONNREFUSED', proxy: `http://${USER}:********@127.0.0.1:${port}` });
    expect(posts(target)).toBe(0);
    expect(logText(logs)).not.toContain(PASSWORD);
  });
});

describe('no_proxy', () => {
  it('bypasses the proxy for an entry equal to the intake’s host:port, and only for that (exact matching)', async () => {
    const target = await intake();
    const forward = await proxy();
    const other = await intake();
    const { forwarder: fwd } = await forwarder({
      DD_DD_URL: target.url,
      DD_ADDITIONAL_ENDPOINTS: JSON.stringify({ [other.url]: ['k2'] }),
      DD_PROXY_HTTP: forward.url,
      // Space-separated, as the Agent reads DD_PROXY_NO_PROXY; the port-less entry matches nothing.
      DD_PROXY_NO_PROXY: `127.0.0.1:${target.port} 127.0.0.1`,
    });

    fwd.submit(testPayload());
    await waitFor(() => posts(target) === 1 && forward.requests.some((r) => r.method === 'POST'));
    const passed = forward.requests.filter((r) => r.method === 'POST').map((r) => r.target);
    expect(passed).toEqual([`127.0.0.1:${other.port}`]);
  });

  it('with no_proxy_nonexact_match, never proxies loopback destinations but proxies names the proxy resolves', async () => {
    const target = await intake();
    const forward = await proxy({ routes: { 'intake.example.test': '127.0.0.1' } });
    const named = `http://intake.example.test:${target.port}`;
    const { forwarder: fwd } = await forwarder({
      DD_DD_URL: target.url,
      DD_ADDITIONAL_ENDPOINTS: JSON.stringify({ [named]: ['k2'] }),
      HTTP_PROXY: forward.url,
      NO_PROXY: 'other.example.test',
      DD_NO_PROXY_NONEXACT_MATCH: 'true',
    });

    fwd.submit(testPayload());
    await waitFor(() => posts(target) === 2 && forward.requests.some((r) => r.method === 'POST'));
    const passed = forward.requests.filter((r) => r.method === 'POST').map((r) => r.target);
    expect(passed).toEqual([`intake.example.test:${target.port}`]);
  });
});
