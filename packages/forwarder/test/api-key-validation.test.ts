import { describe, expect, it } from '@jest/globals';
import { USER_AGENT } from '@agentkit/forwarder';
import { API_KEY, logText, startForwarder, startIntake, testPayload, waitFor } from './helpers.js';

describe('API key validation at start', () => {
  it('checks the key with GET /api/v1/validate on the dd_url host, in the background', async () => {
    const intake = await startIntake();
    const { forwarder } = await startForwarder({ DD_DD_URL: intake.url });

    await waitFor(() => intake.validations.length === 1);
    const [req] = intake.validations;
    expect(req?.path).toBe('/api/v1/validate');
    expect(req?.headers['dd-api-key']).toBe(API_KEY);
    expect(req?.headers['user-agent']).toBe(USER_AGENT);
    expect(forwarder.telemetry()['api_keys.invalid']).toBe(0);
  });

  it('logs a rejected key clearly, without the key, and forwards anyway (fails open)', async () => {
    const intake = await startIntake(200, 403);
    const { forwarder, logs } = await startForwarder({ DD_DD_URL: intake.url });

    await waitFor(() => forwarder.telemetry()['api_keys.invalid'] === 1);
    const line = logs.find((l) => l.level === 'error' && l.msg.includes('rejected the API key'));
    expect(line?.obj).toMatchObject({ url: `${intake.url}/api/v1/validate`, keyIndex: 0, status: 403 });
    expect(line?.msg).toContain('api_key');

    forwarder.submit(testPayload());
    await waitFor(() => intake.accepted.length === 1);
    expect(logText(logs)).not.toContain(API_KEY);
  });

  it('never delays start, even when the validation endpoint does not answer', async () => {
    const intake = await startIntake(200, 'hang');
    // A start that waited for the check would wait forwarder_timeout (30 s), past the test's limit.
    const { forwarder, logs } = await startForwarder({ DD_DD_URL: intake.url, DD_FORWARDER_TIMEOUT: '30' });

    await waitFor(() => intake.validations.length === 1);
    forwarder.submit(testPayload());
    await waitFor(() => intake.accepted.length === 1);
    expect(logs.some((l) => l.msg === 'forwarder started')).toBe(true);
  });

  it('logs that the key could not be checked when the endpoint fails, and goes on', async () => {
    const intake = await startIntake(200, 500);
    const { logs } = await startForwarder({ DD_DD_URL: intake.url });

    await waitFor(() => logs.some((l) => l.level === 'warn' && l.msg.includes('could not validate the API key')));
    const line = logs.find((l) => l.msg.includes('could not validate the API key'));
    expect(line?.msg).toContain('forwarding anyway');
    expect(line?.obj['status']).toBe(500);
  });

  it('skips the check when there is no key, and sends without a DD-API-KEY header', async () => {
    const intake = await startIntake();
    const { forwarder } = await startForwarder({ DD_DD_URL: intake.url, DD_API_KEY: '' });

    forwarder.submit(testPayload());
    await waitFor(() => intake.accepted.length === 1);
    expect(intake.accepted[0]?.headers['dd-api-key']).toBeUndefined();
    expect(intake.validations).toHaveLength(0);
  });
});

describe('API key validation and a short run', () => {
  it('checks no key when the forwarder is stopped before the check is due, and still sends what it holds', async () => {
    const intake = await startIntake();
    const { forwarder, stop } = await startForwarder({ DD_DD_URL: intake.url });

    // A short `agentkit exec` task: its last payload comes, and the stop, within milliseconds of the start.
    forwarder.submit(testPayload());
    await stop();
    expect(intake.accepted).toHaveLength(1);
    expect(intake.validations).toHaveLength(0);
    expect(forwarder.telemetry()['api_keys.invalid']).toBe(0);
  });
});

describe('the HTTP client', () => {
  it('is made in the background after start, with nothing to send', async () => {
    const intake = await startIntake();
    const { logs } = await startForwarder({ DD_DD_URL: intake.url, DD_API_KEY: '' });

    expect(logs.some((l) => l.msg.startsWith('HTTP client'))).toBe(false);
    await waitFor(() => logs.some((l) => l.msg === 'HTTP client ready (node:http)'));
    expect(intake.posts).toHaveLength(0);
  });
});
