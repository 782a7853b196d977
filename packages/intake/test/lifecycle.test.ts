import { describe, expect, it } from '@jest/globals';
import { Agent, request, type IncomingMessage } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { bundle, configFromObject, provide, token } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import { FakeLocalIntake, fakeLocalIntakeBundle, LOCAL_INTAKE, LOCAL_INTAKE_OPTIONS, localIntakeBundle } from '../src/index.js';
import { getJson, http, intakeFor, waitFor } from './helpers.js';

const V1 = JSON.stringify({ series: [{ metric: 'm', points: [[1_700_000_000, 1]], tags: [], host: 'h', type: 'gauge', interval: 10 }] });

/** Starts a POST whose body is not finished: the request stays in flight until `finish()`. */
function openPost(url: string, agent?: Agent): { response: Promise<IncomingMessage>; finish: () => void; error: Promise<Error> } {
  let fail: (e: Error) => void = () => undefined;
  const error = new Promise<Error>((resolve) => (fail = resolve));
  let answered: (r: IncomingMessage) => void = () => undefined;
  const response = new Promise<IncomingMessage>((resolve) => (answered = resolve));
  const req = request(`${url}${ENDPOINT_PATHS.series_v1}`, { method: 'POST', agent: agent ?? false, headers: { 'Content-Length': String(V1.length) } }, answered);
  req.on('error', fail);
  req.write(V1.slice(0, 10));
  return { response, finish: () => req.end(V1.slice(10)), error };
}

function bodyOf(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    res.on('data', (c: Buffer) => (text += c.toString()));
    res.on('end', () => resolve(text));
  });
}

describe('localIntakeBundle in an app', () => {
  it('starts on a free port, serves the other components\' counters at /api/local/agent (not its own), stops', async () => {
    const SOURCE = token<object>('Source');
    const app = createTestApp(
      [localIntakeBundle, bundle('source', [provide(SOURCE, { useValue: { telemetry: () => ({ packets: 3, 'dropped.queue_full': 1 }) } })])],
      { config: configFromObject({ local_intake_port: 0 }) },
    );
    await app.start();
    const intake = app.get(LOCAL_INTAKE);
    expect(intake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await getJson(`${intake.url}/api/local/agent`)).toEqual({ Source: { packets: 3, 'dropped.queue_full': 1 } });
    expect((await http(`${intake.url}${ENDPOINT_PATHS.series_v1}`, { method: 'POST', body: V1 })).status).toBe(202);
    expect(app.telemetry()['LocalIntake']).toMatchObject({ requests: 2, 'payloads.series_v1': 1, 'items.series_v1': 1, 'stored.series': 1 });
    await app.stop();
    await expect(http(`${intake.url}/api/local/series`)).rejects.toThrow(/ECONNREFUSED/);
    // The history is still readable after stop.
    expect(intake.series()).toHaveLength(1);
  });

  it('alone, /api/local/agent is empty (the page then says the intake runs alone)', async () => {
    const app = createTestApp([localIntakeBundle], { config: configFromObject({ local_intake_port: 0 }) });
    await app.start();
    expect(await getJson(`${app.get(LOCAL_INTAKE).url}/api/local/agent`)).toEqual({});
  });

  it('a port in use fails the app start with the key that fixes it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const app = createTestApp([localIntakeBundle], { config: configFromObject({ local_intake_port: (blocker.address() as AddressInfo).port }) });
      await expect(app.start()).rejects.toThrow(/local_intake_port/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('LOCAL_INTAKE_OPTIONS, when bound, sets what is not a config key (the body limit)', async () => {
    const app = createTestApp([localIntakeBundle, bundle('options', [provide(LOCAL_INTAKE_OPTIONS, { useValue: { maxBodyBytes: 16 } })])], {
      config: configFromObject({ local_intake_port: 0 }),
    });
    await app.start();
    const answer = await http(`${app.get(LOCAL_INTAKE).url}${ENDPOINT_PATHS.series_v1}`, { method: 'POST', body: V1 });
    expect(answer.status).toBe(413);
  });

  it('the fake bundle provides a FakeLocalIntake with no socket', async () => {
    const fake = new FakeLocalIntake({ series: [{ metric: 'x', tags: [], host: '', type: 'gauge', interval: 10, points: [[1, 2]] }] }, 9999);
    const app = createTestApp([fakeLocalIntakeBundle(fake)]);
    await app.start();
    expect(app.get(LOCAL_INTAKE).url).toBe('http://127.0.0.1:9999');
    expect(app.get(LOCAL_INTAKE).series()).toHaveLength(1);
    expect(app.get(LOCAL_INTAKE).stats().stored.series).toBe(1);
    await app.stop();
    expect([fake.started, fake.stopped]).toEqual([true, true]);
  });
});

describe('stop', () => {
  it('answers a request in flight (with Connection: close) before it finishes, and closes idle keep-alive sockets at once', async () => {
    const intake = await intakeFor();
    const agent = new Agent({ keepAlive: true });
    try {
      // One idle keep-alive socket...
      const first = await new Promise<IncomingMessage>((resolve, reject) => request(`${intake.url}/api/local/stats`, { agent }, resolve).on('error', reject).end());
      const idleSocket = first.socket;
      await bodyOf(first);
      const idleClosed = new Promise<void>((resolve) => idleSocket.once('close', () => resolve()));
      // ...and one request still sending its body.
      const inflight = openPost(intake.url);
      await waitFor(() => intake.stats().requests['series_v1'] === 1, 'the in-flight request to arrive');

      let stopped = false;
      const stopping = intake.onStop(AbortSignal.timeout(10_000)).then(() => (stopped = true));
      await idleClosed;
      expect(stopped).toBe(false);
      inflight.finish();
      const res = await inflight.response;
      expect(res.statusCode).toBe(202);
      expect(res.headers['connection']).toBe('close');
      await bodyOf(res);
      await stopping;
      expect(intake.series()).toEqual([{ metric: 'm', tags: [], host: 'h', type: 'gauge', interval: 10, points: [[1_700_000_000, 1]] }]);
    } finally {
      agent.destroy();
    }
  });

  it('when the stop signal aborts, closes what is still open and counts the cut-off request', async () => {
    const intake = await intakeFor();
    const inflight = openPost(intake.url);
    await waitFor(() => intake.stats().requests['series_v1'] === 1, 'the in-flight request to arrive');
    const abort = new AbortController();
    const stopping = intake.onStop(abort.signal);
    abort.abort();
    await stopping;
    await expect(inflight.error).resolves.toThrow(/socket hang up|ECONNRESET/);
    await waitFor(() => intake.stats().dropped['request_aborted'] === 1, 'the cut-off request to be counted');
    // A second stop does nothing.
    await intake.onStop();
  });
});
