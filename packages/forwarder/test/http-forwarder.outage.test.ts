import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RETRY_QUEUE_MAX_BYTES, FakeClock } from '@agentkit/forwarder';
import { driveClock, startForwarder, startIntake, testPayload, waitFor } from './helpers.js';

const PAYLOAD_BYTES = 600 * 1024;
const OUTAGE_MS = 60_000;

describe('HttpForwarder during a 60 s outage under steady load', () => {
  it('keeps the retry queue within forwarder_retry_queue_payloads_max_size, drops the oldest, and delivers the rest once', async () => {
    const intake = await startIntake(503);
    const clock = new FakeClock();
    const { forwarder } = await startForwarder({ DD_DD_URL: intake.url }, clock);
    // One body shared by every payload (the X-Seq header tells them apart): 600 KiB a second.
    const body = Buffer.alloc(PAYLOAD_BYTES, 7);
    const submitted: number[] = [];
    let maxRetryBytes = 0;

    for (let second = 0; second < OUTAGE_MS / 1000; second++) {
      const p = testPayload({ body });
      submitted.push(p.seq);
      forwarder.submit(p);
      await waitFor(() => forwarder.telemetry().inflight === 0);
      maxRetryBytes = Math.max(maxRetryBytes, forwarder.telemetry()['queue.retry_bytes'] ?? 0);
      clock.advance(1000);
    }

    const during = forwarder.telemetry();
    expect(maxRetryBytes).toBeLessThanOrEqual(DEFAULT_RETRY_QUEUE_MAX_BYTES);
    expect(maxRetryBytes).toBeGreaterThan(DEFAULT_RETRY_QUEUE_MAX_BYTES - PAYLOAD_BYTES);
    const dropped = during['dropped.retry_queue_full'] ?? 0;
    expect(dropped).toBe(submitted.length - Math.floor(DEFAULT_RETRY_QUEUE_MAX_BYTES / PAYLOAD_BYTES));
    // The circuit breaker let only a few probes through during the whole minute.
    expect(intake.posts.length).toBeLessThan(10);

    intake.setAction(200);
    await driveClock(clock, forwarder, () => intake.accepted.length === submitted.length - dropped, 200);

    const delivered = intake.accepted.map((r) => r.seq);
    expect(new Set(delivered).size).toBe(delivered.length); // once each
    // What was dropped is the oldest: everything delivered is among the newest.
    expect([...delivered].sort((a, b) => a - b)).toEqual(submitted.slice(dropped));
    const after = forwarder.telemetry();
    expect(after['queue.retry']).toBe(0);
    expect(after['queue.retry_bytes']).toBe(0);
    expect(after['transactions.sent']).toBe(submitted.length - dropped);
  });
});
