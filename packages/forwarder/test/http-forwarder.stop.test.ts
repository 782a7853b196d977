import { describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { FakeClock } from '@agentkit/forwarder';
import { startForwarder, startIntake, testPayload, waitFor } from './helpers.js';

function connectionsOf(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

describe('HttpForwarder.onStop', () => {
  it('closes its keep-alive connections once stopped (on the turn after its stop, which does not wait for it)', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.writeHead(202).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address() as { port: number };
      const { forwarder, stop } = await startForwarder({ DD_DD_URL: `http://127.0.0.1:${address.port}`, DD_API_KEY: '' });
      forwarder.submit(testPayload());
      await waitFor(() => requests === 1);
      await stop();
      // The sent payload's connection was kept alive; the stop's release closes it.
      let open = await connectionsOf(server);
      while (open > 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        open = await connectionsOf(server);
      }
      expect(open).toBe(0);
      expect(forwarder.telemetry()['transactions.sent']).toBe(1);
    } finally {
      server.close();
    }
  });

  it('delivers queued, in-flight and retry-queue payloads within forwarder_stop_timeout', async () => {
    const intake = await startIntake();
    // The first two attempts fail (they land in the retry queue); the rest are slow.
    intake.setAction((_req, index) => (index < 2 ? 503 : { status: 200, delayMs: 150 }));
    const clock = new FakeClock(); // frozen: the retry tick never runs, only the stop can resend
    const { forwarder, logs, stop } = await startForwarder(
      { DD_DD_URL: intake.url, DD_FORWARDER_MAX_CONCURRENT_REQUESTS: '2', DD_FORWARDER_STOP_TIMEOUT: '5' },
      clock,
    );

    const first = [testPayload({ endpoint: 'intake' }), testPayload({ endpoint: 'check_run_v1' })];
    for (const p of first) forwarder.submit(p);
    await waitFor(() => forwarder.telemetry()['queue.retry'] === 2);
    const rest = Array.from({ length: 8 }, () => testPayload({ endpoint: 'series_v1' }));
    for (const p of rest) forwarder.submit(p);
    expect(forwarder.telemetry().inflight).toBe(2);
    expect(forwarder.telemetry()['queue.high']).toBe(6);

    await stop();

    const all = [...first, ...rest].map((p) => p.seq).sort((a, b) => a - b);
    expect(intake.accepted.map((r) => r.seq).sort((a, b) => a - b)).toEqual(all);
    const t = forwarder.telemetry();
    expect(Object.keys(t).filter((k) => k.startsWith('dropped.'))).toEqual([]);
    expect(logs.some((l) => l.msg.includes('everything queued was sent'))).toBe(true);
  });

  it('does not claim everything was sent when payloads were refused during the run', async () => {
    const intake = await startIntake(403);
    const { forwarder, logs, stop } = await startForwarder({ DD_DD_URL: intake.url });
    forwarder.submit(testPayload());
    await waitFor(() => forwarder.telemetry()['dropped.rejected_403'] === 1);
    await stop();
    expect(logs.some((l) => l.msg.includes('everything queued was sent'))).toBe(false);
    expect(logs.find((l) => l.msg.startsWith('forwarder stopped'))).toMatchObject({ level: 'warn', msg: expect.stringContaining('1 payload(s) were dropped') });
  });

  it('accepts payloads handed over during the stop and sends them too', async () => {
    const intake = await startIntake({ status: 200, delayMs: 100 });
    const { forwarder, stop } = await startForwarder({ DD_DD_URL: intake.url });

    forwarder.submit(testPayload());
    const stopping = stop();
    const late = testPayload();
    forwarder.submit(late);
    await stopping;

    expect(intake.accepted.map((r) => r.seq)).toContain(late.seq);
    expect(intake.accepted).toHaveLength(2);
  });

  it('counts and logs what is still unsent when forwarder_stop_timeout runs out, and returns in time', async () => {
    const intake = await startIntake('hang');
    const { forwarder, logs, stop } = await startForwarder({
      DD_DD_URL: intake.url,
      DD_FORWARDER_MAX_CONCURRENT_REQUESTS: '1',
      DD_FORWARDER_STOP_TIMEOUT: '0.3',
    });

    for (let i = 0; i < 4; i++) forwarder.submit(testPayload());
    await waitFor(() => intake.posts.length === 1);
    await stop(); // rejects if the hook overran its own limit

    const t = forwarder.telemetry();
    expect(t['dropped.stop_timeout_inflight']).toBe(1);
    expect(t['dropped.stop_timeout_queued']).toBe(3);
    expect(logs.some((l) => l.level === 'warn' && l.obj['reason'] === 'stop_timeout_queued' && l.obj['dropped'] === 3)).toBe(true);
    expect(logs.some((l) => l.level === 'warn' && l.msg.includes('forwarder_stop_timeout'))).toBe(true);
  });

  it('gives a payload that fails during the stop no second chance, and counts it', async () => {
    const intake = await startIntake(503);
    const { forwarder, stop } = await startForwarder({ DD_DD_URL: intake.url });

    forwarder.submit(testPayload());
    await waitFor(() => forwarder.telemetry()['queue.retry'] === 1);
    await stop();

    expect(intake.posts).toHaveLength(2); // the first attempt, and one more at stop
    expect(forwarder.telemetry()['dropped.stop_send_failed']).toBe(1);
  });

  it('aborts requests in flight at once when forwarder_stop_wait_for_inflight is false', async () => {
    const intake = await startIntake('hang');
    const { forwarder, stop } = await startForwarder({
      DD_DD_URL: intake.url,
      DD_FORWARDER_STOP_WAIT_FOR_INFLIGHT: 'false',
      DD_FORWARDER_STOP_TIMEOUT: '10',
    });

    forwarder.submit(testPayload());
    await waitFor(() => intake.posts.length === 1);
    await stop();

    expect(forwarder.telemetry()['dropped.inflight_aborted']).toBe(1);
    expect(forwarder.telemetry()['dropped.stop_timeout_inflight']).toBeUndefined();
  });

  it('counts payloads submitted after the stop finished', async () => {
    const intake = await startIntake();
    const { forwarder, stop } = await startForwarder({ DD_DD_URL: intake.url });
    await stop();

    forwarder.submit(testPayload());

    expect(forwarder.telemetry()['dropped.submitted_after_stop']).toBe(1);
    expect(intake.posts).toHaveLength(0);
  });
});
