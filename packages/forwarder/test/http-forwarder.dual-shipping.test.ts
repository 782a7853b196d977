import { describe, expect, it } from '@jest/globals';
import { AGENTKIT_VERSION, FakeClock } from '@agentkit/forwarder';
import { API_KEY, driveClock, logText, startForwarder, startIntake, testPayload, waitFor } from './helpers.js';

const KEY_2 = 'fedcba9876543210fedcba9876543210';
const KEY_3 = 'aaaaaaaaaabbbbbbbbbbccccccccccdd';

describe('HttpForwarder dual shipping', () => {
  it('sends every payload to the main intake and to each additional endpoint, once per API key', async () => {
    const main = await startIntake();
    const second = await startIntake();
    const { forwarder, logs } = await startForwarder({
      DD_DD_URL: main.url,
      DD_ADDITIONAL_ENDPOINTS: JSON.stringify({ [second.url]: [KEY_2, KEY_3] }),
    });

    const payloads = [testPayload(), testPayload({ endpoint: 'intake' }), testPayload({ endpoint: 'check_run_v1' })];
    for (const p of payloads) forwarder.submit(p);
    await waitFor(() => main.accepted.length === 3 && second.accepted.length === 6);

    const seqs = payloads.map((p) => p.seq).sort();
    expect(main.accepted.map((r) => r.seq).sort()).toEqual(seqs);
    expect(main.accepted.every((r) => r.headers['dd-api-key'] === API_KEY)).toBe(true);
    for (const key of [KEY_2, KEY_3]) {
      const copies = second.accepted.filter((r) => r.headers['dd-api-key'] === key);
      expect(copies.map((r) => r.seq).sort()).toEqual(seqs);
      expect(copies.every((r, i) => r.body.equals(payloads.find((p) => p.seq === copies[i]?.seq)?.body ?? Buffer.alloc(0)))).toBe(true);
    }
    expect(forwarder.telemetry()['destinations']).toBe(3);
    expect(logText(logs)).not.toContain(KEY_2);
  });

  it('gives each destination its own queues: an intake that is down does not hold back the other', async () => {
    const healthy = await startIntake();
    const down = await startIntake(503);
    const clock = new FakeClock();
    const { forwarder } = await startForwarder(
      { DD_DD_URL: healthy.url, DD_ADDITIONAL_ENDPOINTS: JSON.stringify({ [down.url]: [KEY_2] }) },
      clock,
    );

    for (let i = 0; i < 5; i++) forwarder.submit(testPayload());
    await waitFor(() => healthy.accepted.length === 5);
    await waitFor(() => forwarder.telemetry().inflight === 0);
    expect(down.accepted).toHaveLength(0);
    expect(forwarder.telemetry()['queue.retry']).toBe(5);

    down.setAction(200);
    await driveClock(clock, forwarder, () => down.accepted.length === 5);
    expect(healthy.accepted).toHaveLength(5);
  });

  it('adds DD-API-KEY, DD-Agent-Version and User-Agent to the payload’s own headers, and posts to the endpoint’s route', async () => {
    const intake = await startIntake();
    const { forwarder } = await startForwarder({ DD_DD_URL: `${intake.url}/prefix/` });

    forwarder.submit(testPayload({ endpoint: 'sketches_v2' }));
    await waitFor(() => intake.accepted.length === 1);

    const [req] = intake.accepted;
    expect(req?.path).toBe('/prefix/api/beta/sketches');
    expect(req?.headers).toMatchObject({
      'dd-api-key': API_KEY,
      'dd-agent-version': AGENTKIT_VERSION,
      'user-agent': `agentkit/${AGENTKIT_VERSION}`,
      'content-type': 'application/x-protobuf',
    });
  });
});
