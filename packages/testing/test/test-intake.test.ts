import { afterEach, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import zlib from 'node:zlib';
import { startTestIntake } from '../src/index.js';
import type { IntakeResponse, TestIntake } from '../src/index.js';

interface Reply {
  status: number;
  body: string;
  error?: string;
  elapsedMs: number;
}

function send(intake: TestIntake, path: string, body: Buffer | string, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(`${intake.url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, elapsedMs: performance.now() - started }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, body: '', error: error.code ?? error.message, elapsedMs: performance.now() - started }));
    req.end(body);
  });
}

const checkRun = (name: string) => zlib.deflateSync(JSON.stringify([{ check: name, host_name: 'h', timestamp: 1, status: 0, message: '', tags: null }]));
const deflate = { 'Content-Encoding': 'deflate', 'Content-Type': 'application/json' };

let intakes: TestIntake[] = [];
async function start(options?: Parameters<typeof startTestIntake>[0]): Promise<TestIntake> {
  const intake = await startTestIntake(options);
  intakes.push(intake);
  return intake;
}
afterEach(async () => {
  await Promise.all(intakes.map((i) => i.close()));
  intakes = [];
});

describe('startTestIntake', () => {
  it('listens on 127.0.0.1, decodes a compressed payload and records path, headers and decoded body', async () => {
    const intake = await start();
    expect(intake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const reply = await send(intake, '/api/v1/check_run', checkRun('app.up'), deflate);
    expect(reply.status).toBe(202);
    const [recorded] = intake.requests;
    expect(recorded).toMatchObject({ path: '/api/v1/check_run', status: 202, accepted: true, decodeError: undefined });
    expect(recorded?.headers['content-encoding']).toBe('deflate');
    expect(intake.serviceChecks()).toEqual([{ check: 'app.up', host_name: 'h', timestamp: 1, status: 0, message: '', tags: null }]);
  });

  it('answers 400 to a body that does not decode and keeps it out of the accepted payloads', async () => {
    const intake = await start();
    const reply = await send(intake, '/api/v2/series', Buffer.from('0a7f', 'hex'));
    expect(reply.status).toBe(400);
    expect(intake.requests[0]?.decodeError).toContain('malformed');
    expect(intake.payloads()).toHaveLength(0);
  });

  it('answers API key validation with 200 valid, and unknown paths with 404', async () => {
    const intake = await start();
    expect(await send(intake, '/api/v1/validate', '', {}, 'GET')).toMatchObject({ status: 200, body: '{"valid":true}' });
    expect((await send(intake, '/nowhere', 'x')).status).toBe(404);
  });

  it('answers payloads from the queue in order, then the default', async () => {
    const responses: IntakeResponse[] = [{ status: 503 }, { status: 403, body: 'forbidden' }];
    const intake = await start({ responses });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(intake, '/api/v1/check_run', checkRun(`c${i}`), deflate)).status);
    expect(statuses).toEqual([503, 403, 202]);
    expect(intake.serviceChecks().map((c) => c.check)).toEqual(['c2']);
    expect(intake.requests.map((r) => r.accepted)).toEqual([false, false, true]);
  });

  it('delays a response by delayMs', async () => {
    const intake = await start({ responses: [{ delayMs: 150 }] });
    const reply = await send(intake, '/api/v1/check_run', checkRun('slow'), deflate);
    expect(reply.status).toBe(202);
    expect(reply.elapsedMs).toBeGreaterThanOrEqual(140);
  });

  it('resets the connection when told to', async () => {
    const intake = await start();
    intake.enqueue({ reset: true });
    const reply = await send(intake, '/api/v1/check_run', checkRun('reset'), deflate);
    expect(reply.error).toBe('ECONNRESET');
    expect(intake.requests[0]?.status).toBe(0);
  });

  it('hangs when told to, until the intake closes', async () => {
    const intake = await start({ respond: (r) => (r.path.startsWith('/api/v1/check_run') ? { hang: true } : undefined) });
    const pending = send(intake, '/api/v1/check_run', checkRun('hang'), deflate);
    await intake.waitForRequests(1);
    await intake.close();
    expect((await pending).status).toBe(0);
  });

  it('waitForItems resolves when enough items arrived and rejects with a clear message on timeout', async () => {
    const intake = await start();
    const waiting = intake.waitForItems(2, 'check_run_v1');
    await send(intake, '/api/v1/check_run', checkRun('a'), deflate);
    await send(intake, '/api/v1/check_run', checkRun('b'), deflate);
    await expect(waiting).resolves.toBeUndefined();
    await expect(intake.waitForItems(5, 'series_v2', { timeoutMs: 50 })).rejects.toThrow(/timed out after 50 ms waiting for 5 series_v2/);
  });

  it('is @agentkit/intake: a sequence per route from its fault plan, and the intake’s own history behind it', async () => {
    const intake = await start({ sequences: { check_run_v1: [503] }, validateResponse: { status: 403 } });
    expect((await send(intake, '/api/v1/check_run', checkRun('first'), deflate)).status).toBe(503);
    expect((await send(intake, '/api/v1/check_run', checkRun('second'), deflate)).status).toBe(202);
    expect((await send(intake, '/api/v1/validate', '', {}, 'GET')).status).toBe(403);
    expect(intake.requests.map((r) => [r.route, r.status])).toEqual([
      ['check_run_v1', 503],
      ['check_run_v1', 202],
      ['validate', 403],
    ]);
    expect(intake.intake.serviceChecks().map((c) => c.check)).toEqual(['second']);
    expect(intake.plan.pending('check_run_v1')).toBe(0);
  });
});
