import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '@agentkit/forwarder';
import { API_KEY, driveClock, logText, startForwarder, startIntake, testPayload, waitFor } from './helpers.js';

describe('HttpForwarder against a failing intake', () => {
  describe('when the intake answers 503 a few times, then recovers', () => {
    it('delivers each payload exactly once, after backing off', async () => {
      const intake = await startIntake();
      intake.setAction((_req, index) => (index < 3 ? 503 : 200));
      const clock = new FakeClock();
      const { forwarder, logs } = await startForwarder({ DD_DD_URL: intake.url }, clock);

      const payload = testPayload();
      forwarder.submit(payload);
      await driveClock(clock, forwarder, () => intake.accepted.length === 1);

      expect(intake.posts.map((p) => p.seq)).toEqual([payload.seq, payload.seq, payload.seq, payload.seq]);
      expect(intake.accepted.map((p) => p.seq)).toEqual([payload.seq]);
      const t = forwarder.telemetry();
      expect(t['transactions.failed']).toBe(3);
      expect(t['transactions.retried']).toBe(3);
      expect(t['transactions.sent']).toBe(1);
      expect(t['queue.retry']).toBe(0);
      // The circuit breaker kept it back between attempts: 3 errors mean at least 2+4+8 s / 2.
      expect(clock.now()).toBeGreaterThanOrEqual(7000);
      expect(logs.some((l) => l.level === 'warn' && l.obj['status'] === 503)).toBe(true);
      expect(logText(logs)).not.toContain(API_KEY);
    });
  });

  describe.each([400, 403, 413])('when the intake answers %i', (status) => {
    it('drops the payload without retrying it and logs the status and endpoint', async () => {
      const intake = await startIntake(status);
      const clock = new FakeClock();
      const { forwarder, logs } = await startForwarder({ DD_DD_URL: intake.url }, clock);

      forwarder.submit(testPayload({ endpoint: 'sketches_v2' }));
      await waitFor(() => forwarder.telemetry()[`dropped.rejected_${status}`] === 1);
      // Time passes, retry ticks run: nothing is sent again.
      for (let i = 0; i < 10; i++) clock.advance(5000);
      await waitFor(() => forwarder.telemetry().inflight === 0);

      expect(intake.posts).toHaveLength(1);
      expect(forwarder.telemetry()['queue.retry']).toBe(0);
      const line = logs.find((l) => l.obj['reason'] === `rejected_${status}`);
      expect(line?.obj).toMatchObject({ status, endpoint: 'sketches_v2', url: intake.url });
      expect(logText(logs)).not.toContain(API_KEY);
    });
  });

  describe('when the intake never answers', () => {
    it('gives up after forwarder_timeout and retries the payload', async () => {
      const intake = await startIntake('hang');
      const clock = new FakeClock();
      const { forwarder, logs } = await startForwarder({ DD_DD_URL: intake.url, DD_FORWARDER_TIMEOUT: '0.3' }, clock);

      const payload = testPayload();
      forwarder.submit(payload);
      await waitFor(() => forwarder.telemetry()['transactions.failed'] === 1, 5000, 'the request to time out');
      expect(forwarder.telemetry()['queue.retry']).toBe(1);
      expect(logs.some((l) => l.level === 'warn' && String(l.obj['error']).includes('TIMEOUT'))).toBe(true);

      intake.setAction(200);
      await driveClock(clock, forwarder, () => intake.accepted.length === 1);
      expect(intake.accepted.map((p) => p.seq)).toEqual([payload.seq]);
    });
  });

  describe('when the intake resets the connection', () => {
    it('retries the payload and delivers it once the intake is back', async () => {
      const intake = await startIntake();
      intake.setAction((_req, index) => (index < 2 ? 'reset' : 200));
      const clock = new FakeClock();
      const { forwarder } = await startForwarder({ DD_DD_URL: intake.url }, clock);

      const payload = testPayload();
      forwarder.submit(payload);
      await driveClock(clock, forwarder, () => intake.accepted.length === 1);

      expect(intake.posts).toHaveLength(3);
      expect(intake.accepted.map((p) => p.seq)).toEqual([payload.seq]);
      expect(forwarder.telemetry()['transactions.failed']).toBe(2);
    });
  });

  describe('when the endpoint is blocked by the circuit breaker', () => {
    it('holds new payloads back in the retry queue instead of sending them', async () => {
      const intake = await startIntake(503);
      const clock = new FakeClock();
      const { forwarder } = await startForwarder({ DD_DD_URL: intake.url }, clock);

      forwarder.submit(testPayload());
      await waitFor(() => forwarder.telemetry()['transactions.failed'] === 1);
      forwarder.submit(testPayload());
      forwarder.submit(testPayload());

      expect(intake.posts).toHaveLength(1);
      expect(forwarder.telemetry()['queue.retry']).toBe(3);
      // Another endpoint is not blocked by this one's failures.
      forwarder.submit(testPayload({ endpoint: 'check_run_v1' }));
      await waitFor(() => intake.posts.length === 2);
      expect(intake.posts[1]?.path).toBe('/api/v1/check_run');
    });
  });
});
