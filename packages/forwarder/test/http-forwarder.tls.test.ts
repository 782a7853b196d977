import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { makeTestCertificate, startTestIntake, startTestProxy, type TestCertificate, type TestIntake } from '@agentkit/testing';
import { logText, startForwarder, testPayload, waitFor, type StartedForwarder } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let certificate: TestCertificate;
beforeAll(async () => {
  certificate = await makeTestCertificate();
});

/** A self-signed HTTPS intake answering 202 to every payload, optionally capped at a TLS version. */
async function httpsIntake(maxVersion?: 'TLSv1.2'): Promise<TestIntake> {
  const tls = { ...certificate, ...(maxVersion === undefined ? {} : { maxVersion }) };
  const started = await startTestIntake({ tls, respond: (r) => (r.method === 'POST' ? { status: 202 } : undefined) });
  cleanups.push(() => started.close());
  return started;
}

async function forwarder(env: Record<string, string>): Promise<StartedForwarder> {
  const started = await startForwarder(env);
  cleanups.push(() => started.stop());
  return started;
}

const posts = (i: TestIntake): number => i.requests.filter((r) => r.method === 'POST').length;

/** Waits for the first failed send and returns its log line. */
async function firstFailure(started: StartedForwarder): Promise<Record<string, unknown>> {
  await waitFor(() => (started.forwarder.telemetry()['payloads_failed.series_v2'] ?? 0) >= 1);
  const line = started.logs.find((l) => l.msg.startsWith('sending a payload failed'));
  if (line === undefined) throw new Error(`no failure logged:\n${logText(started.logs)}`);
  return line.obj;
}

describe('skip_ssl_validation', () => {
  it('false (the default): refuses a self-signed intake, counts the failed transaction and logs why', async () => {
    const intake = await httpsIntake();
    const started = await forwarder({ DD_DD_URL: intake.url });

    started.forwarder.submit(testPayload());
    const failure = await firstFailure(started);
    expect(failure['error']).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    expect(String(failure['message'])).toMatch(/self[- ]signed|unable to verify/i);
    expect(failure['hint']).toContain('skip_ssl_validation');
    expect(started.forwarder.telemetry()['transactions.failed']).toBeGreaterThanOrEqual(1);
    expect(posts(intake)).toBe(0);
  });

  it('true: accepts the self-signed intake', async () => {
    const intake = await httpsIntake();
    const { forwarder: fwd } = await forwarder({ DD_DD_URL: intake.url, DD_SKIP_SSL_VALIDATION: 'true' });

    fwd.submit(testPayload());
    await waitFor(() => posts(intake) === 1);
    expect(fwd.telemetry()['transactions.failed']).toBe(0);
  });

  it('applies inside a CONNECT tunnel too: the intake’s certificate is checked through the proxy', async () => {
    const intake = await httpsIntake();
    const proxy = await startTestProxy();
    cleanups.push(() => proxy.close());
    const started = await forwarder({ DD_DD_URL: intake.url, DD_PROXY_HTTPS: proxy.url });

    started.forwarder.submit(testPayload());
    const failure = await firstFailure(started);
    expect(failure['error']).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    expect(failure['proxy']).toBe(proxy.url);
    expect(proxy.requests.some((r) => r.kind === 'connect' && r.status === 200)).toBe(true);
    expect(posts(intake)).toBe(0);
  });
});

describe('min_tls_version', () => {
  it('tlsv1.3 fails the handshake with an intake capped at TLS 1.2, counted and logged', async () => {
    const intake = await httpsIntake('TLSv1.2');
    const started = await forwarder({ DD_DD_URL: intake.url, DD_SKIP_SSL_VALIDATION: 'true', DD_MIN_TLS_VERSION: 'tlsv1.3' });

    started.forwarder.submit(testPayload());
    const failure = await firstFailure(started);
    expect(`${String(failure['error'])} ${String(failure['message'])}`).toMatch(/protocol version|PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/i);
    expect(posts(intake)).toBe(0);
    expect(intake.tlsErrors.length).toBeGreaterThanOrEqual(1);
  });

  it('the default, tlsv1.2, talks to the same intake', async () => {
    const intake = await httpsIntake('TLSv1.2');
    const { forwarder: fwd } = await forwarder({ DD_DD_URL: intake.url, DD_SKIP_SSL_VALIDATION: 'true' });

    fwd.submit(testPayload());
    await waitFor(() => posts(intake) === 1);
    expect(fwd.telemetry()['transactions.failed']).toBe(0);
  });
});
