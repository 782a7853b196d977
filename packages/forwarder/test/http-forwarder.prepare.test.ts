import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { makeTestCertificate, startTestIntake, type TestCertificate, type TestIntake } from '@agentkit/testing';
import { startForwarder, startIntake, testPayload, waitFor, type StartedForwarder } from './helpers.js';

// Forwarder.prepare: what `agentkit exec` calls once its program runs, so that the last send
// after the program's exit finds the HTTP client made, TLS's root certificates built and the key
// checked (its request readies the HTTP client), and sends nothing of its own otherwise.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let certificate: TestCertificate;
beforeAll(async () => {
  certificate = await makeTestCertificate();
});

async function httpsIntake(): Promise<TestIntake> {
  const started = await startTestIntake({ tls: certificate, respond: (r) => (r.method === 'POST' ? { status: 202 } : undefined) });
  cleanups.push(() => started.close());
  return started;
}

async function forwarder(env: Record<string, string>): Promise<StartedForwarder> {
  const started = await startForwarder(env);
  cleanups.push(() => started.stop());
  return started;
}

const TLS_READY = 'TLS root certificates ready for the first send';

describe('HttpForwarder.prepare', () => {
  it('for an https intake: builds TLS root certificates, checks the key, and sends no payload', async () => {
    const intake = await httpsIntake();
    const started = await forwarder({ DD_DD_URL: intake.url, DD_SKIP_SSL_VALIDATION: 'true' });

    started.forwarder.prepare();
    await waitFor(() => intake.requests.some((r) => r.path === '/api/v1/validate'));
    expect(started.logs.filter((l) => l.msg === TLS_READY)).toHaveLength(1);
    expect(intake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    // Then the payload goes as ever; a second prepare does nothing more.
    started.forwarder.prepare();
    started.forwarder.submit(testPayload());
    await waitFor(() => intake.requests.some((r) => r.method === 'POST'));
    expect(started.logs.filter((l) => l.msg === TLS_READY)).toHaveLength(1);
    expect(intake.requests.filter((r) => r.path === '/api/v1/validate')).toHaveLength(1);
  });

  it('for a plain-HTTP intake: checks the key and leaves TLS alone', async () => {
    const intake = await startIntake();
    cleanups.push(() => intake.close());
    const started = await forwarder({ DD_DD_URL: intake.url });

    started.forwarder.prepare();
    await waitFor(() => intake.validations.length === 1);
    expect(started.logs.some((l) => l.msg === TLS_READY)).toBe(false);
    expect(intake.posts).toHaveLength(0);
  });

  it('does nothing once the forwarder is stopping or stopped', async () => {
    const intake = await httpsIntake();
    const started = await forwarder({ DD_DD_URL: intake.url, DD_SKIP_SSL_VALIDATION: 'true' });
    await started.stop();

    started.forwarder.prepare();
    // Time for the client to be made and a check to have gone out, had prepare started one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(intake.requests).toHaveLength(0);
    expect(started.logs.some((l) => l.msg === TLS_READY)).toBe(false);
  });
});
