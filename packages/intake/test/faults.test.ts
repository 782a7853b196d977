import { describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { deflateSync } from 'node:zlib';
import { generate } from 'selfsigned';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import { FaultPlan, type AnsweredRequest, type HttpLocalIntake } from '../src/index.js';
import { intakeFor, waitFor } from './helpers.js';

const V1 = JSON.stringify({ series: [{ metric: 'm', points: [[1_700_000_000, 1]], tags: [], host: 'h', type: 'gauge', interval: 10 }] });
const CHECK = deflateSync(JSON.stringify([{ check: 'app.up', host_name: 'h', timestamp: 1, status: 0, message: '', tags: null }]));

interface Outcome {
  readonly status: number;
  readonly text: string;
  /** The client's error code when there was no answer (ECONNRESET, …). */
  readonly error?: string;
}

/** One request; resolves with the answer or the client's error, never rejects. */
function send(url: string, path: string, body: Buffer | string = '', options: { method?: string; headers?: Record<string, string>; ca?: string } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(`${url}${path}`, { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false, ...(options.ca === undefined ? {} : { ca: options.ca }) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, text, error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, text: '', error: error.code ?? error.message }));
    req.end(body);
  });
}

/** An intake with `plan`, recording what it answered. */
async function faultyIntake(plan: FaultPlan, options: { tls?: { cert: string; key: string } } = {}): Promise<{ intake: HttpLocalIntake; answered: AnsweredRequest[]; tlsErrors: string[] }> {
  const answered: AnsweredRequest[] = [];
  const tlsErrors: string[] = [];
  const intake = await intakeFor({}, { faults: plan, onRequest: (r) => answered.push(r), onTlsError: (code) => tlsErrors.push(code), ...options });
  return { intake, answered, tlsErrors };
}

describe('the fault plan, on the real intake', () => {
  describe('a status sequence', () => {
    it('answers a route its statuses in order, keeps nothing it refused, then recovers with its own 202', async () => {
      const { intake, answered } = await faultyIntake(new FaultPlan({ sequences: { series_v1: [503, { status: 500, body: 'later' }] } }));
      const outcomes = [];
      for (let i = 0; i < 3; i++) outcomes.push(await send(intake.url, ENDPOINT_PATHS.series_v1, V1));
      expect(outcomes.map((o) => o.status)).toEqual([503, 500, 202]);
      expect(outcomes[0]?.text).toBe('{"errors":["status 503 (fault plan)"]}');
      expect(outcomes[1]?.text).toBe('later');
      expect(answered.map((r) => [r.route, r.status, r.accepted])).toEqual([
        ['series_v1', 503, false],
        ['series_v1', 500, false],
        ['series_v1', 202, true],
      ]);
      // Each refused body still decoded: the record shows it, the history does not keep it.
      expect(answered.every((r) => r.decoded?.kind === 'series_v1')).toBe(true);
      expect(intake.series().map((s) => s.points)).toEqual([[[1_700_000_000, 1]]]);
      expect(intake.stats().items).toEqual({ series_v1: 1 });
    });

    it('leaves other routes alone; `payloads` covers every payload route, after a route’s own sequence', async () => {
      const plan = new FaultPlan({ sequences: { check_run_v1: [429], payloads: [503] } });
      const { intake } = await faultyIntake(plan);
      const check = { 'Content-Encoding': 'deflate' };
      expect((await send(intake.url, ENDPOINT_PATHS.check_run_v1, CHECK, { headers: check })).status).toBe(429);
      expect((await send(intake.url, '/api/v1/validate', '', { method: 'GET' })).status).toBe(200);
      expect((await send(intake.url, ENDPOINT_PATHS.check_run_v1, CHECK, { headers: check })).status).toBe(503);
      expect((await send(intake.url, ENDPOINT_PATHS.series_v1, V1)).status).toBe(202);
      expect(plan.pending('payloads')).toBe(0);
      plan.enqueue('validate', 403);
      expect((await send(intake.url, '/api/v1/validate', '', { method: 'GET' })).status).toBe(403);
      expect(intake.serviceChecks()).toEqual([]);
    });

    it('a 2xx fault keeps what decoded, as the own answer would; one that did not decode is still counted', async () => {
      const { intake, answered } = await faultyIntake(new FaultPlan({ sequences: { payloads: [200, 200] } }));
      expect((await send(intake.url, ENDPOINT_PATHS.series_v1, V1)).status).toBe(200);
      expect((await send(intake.url, ENDPOINT_PATHS.series_v1, 'not json')).status).toBe(200);
      expect(answered.map((r) => r.accepted)).toEqual([true, false]);
      expect(answered[1]?.decodeError).toBeDefined();
      expect(intake.series()).toHaveLength(1);
      expect(intake.stats().dropped).toEqual({ decode_error: 1 });
    });
  });

  describe('a delay', () => {
    it('answers after a request that came later, then with its own answer', async () => {
      const plan = new FaultPlan({ sequences: { series_v1: [{ delayMs: 300 }] } });
      const { intake, answered } = await faultyIntake(plan);
      const slow = send(intake.url, ENDPOINT_PATHS.series_v1, V1);
      await waitFor(() => plan.pending('series_v1') === 0, 'the slow request to be read');
      const fast = await send(intake.url, '/api/v1/validate', '', { method: 'GET' });
      expect(fast.status).toBe(200);
      expect(answered.map((r) => r.route)).toEqual(['validate']);
      expect((await slow).status).toBe(202);
      expect(answered.map((r) => [r.route, r.index])).toEqual([
        ['validate', 1],
        ['series_v1', 0],
      ]);
      expect(intake.series()).toHaveLength(1);
    });

    it('is cut short when the stop closes the connections: the client sees the connection go', async () => {
      const plan = new FaultPlan({ sequences: { series_v1: [{ status: 202, delayMs: 60_000 }] } });
      const { intake } = await faultyIntake(plan);
      const slow = send(intake.url, ENDPOINT_PATHS.series_v1, V1);
      await waitFor(() => plan.pending('series_v1') === 0, 'the slow request to be read');
      await intake.onStop(AbortSignal.abort());
      expect((await slow).error).toBe('ECONNRESET');
      expect(intake.series()).toEqual([]);
    });
  });

  it('a reset drops the connection without an answer; the next request is answered', async () => {
    const { intake, answered } = await faultyIntake(new FaultPlan({ sequences: { series_v1: [{ reset: true }] } }));
    expect(await send(intake.url, ENDPOINT_PATHS.series_v1, V1)).toMatchObject({ status: 0, error: 'ECONNRESET' });
    expect((await send(intake.url, ENDPOINT_PATHS.series_v1, V1)).status).toBe(202);
    expect(answered.map((r) => r.status)).toEqual([0, 202]);
    expect(intake.series()[0]?.points).toHaveLength(1);
  });

  it('a hang never answers; the stop drops it at once, even with a stop signal that never aborts', async () => {
    const { intake, answered } = await faultyIntake(new FaultPlan({ respond: (r) => (r.route === 'series_v1' ? { hang: true } : undefined) }));
    const hanging = send(intake.url, ENDPOINT_PATHS.series_v1, V1);
    await waitFor(() => answered.length === 1, 'the hang to begin');
    expect(answered[0]).toMatchObject({ route: 'series_v1', status: 0, accepted: false });
    // Another request is answered meanwhile.
    expect((await send(intake.url, '/api/local/stats', '', { method: 'GET' })).status).toBe(200);
    await intake.onStop(new AbortController().signal);
    expect((await hanging).status).toBe(0);
  });

  it('the responder is asked first, for every request, with the request decoded; undefined falls through', async () => {
    const seen: string[] = [];
    const plan = new FaultPlan({
      sequences: { series_v1: [503] },
      respond: (r) => {
        seen.push(`${r.method} ${r.route} ${r.decoded?.kind ?? '-'}`);
        return r.path.endsWith('?fail') ? { status: 418 } : undefined;
      },
    });
    const { intake } = await faultyIntake(plan);
    expect((await send(intake.url, `${ENDPOINT_PATHS.series_v1}?fail`, V1)).status).toBe(418);
    expect((await send(intake.url, ENDPOINT_PATHS.series_v1, V1)).status).toBe(503);
    expect((await send(intake.url, '/nowhere', 'x')).status).toBe(404);
    plan.setResponder(undefined);
    expect((await send(intake.url, ENDPOINT_PATHS.series_v1, V1)).status).toBe(202);
    expect(seen).toEqual(['POST series_v1 series_v1', 'POST series_v1 series_v1', 'POST not_found -']);
  });

  it('serves HTTPS with a certificate, and counts a handshake the client refused', async () => {
    const pems = await generate([{ name: 'commonName', value: 'intake test' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const { intake, tlsErrors } = await faultyIntake(new FaultPlan(), { tls: { cert: pems.cert, key: pems.private } });
    expect(intake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await send(intake.url, ENDPOINT_PATHS.series_v1, V1, { ca: pems.cert })).status).toBe(202);
    expect((await send(intake.url, ENDPOINT_PATHS.series_v1, V1)).error).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    await waitFor(() => tlsErrors.length === 1, 'the failed handshake to be reported');
    expect(intake.stats().dropped).toEqual({ tls_handshake: 1 });
  });
});
