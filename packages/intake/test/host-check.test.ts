import { describe, expect, it } from '@jest/globals';
import { RecordingLogger } from '@agentkit/core/testing';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import { http, intakeFor, pipelineTo, post, waitFor } from './helpers.js';

const V1 = JSON.stringify({ series: [{ metric: 'secret.metric', points: [[1_700_000_000, 1]], tags: [], host: 'h', type: 'gauge', interval: 10 }] });

/** An intake that already holds a series, so an answer with data would show it. */
async function intakeWithData(env: Record<string, string> = {}) {
  const logger = new RecordingLogger();
  const intake = await intakeFor(env, { logger });
  expect((await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, V1)).status).toBe(202);
  return { intake, logger };
}

describe('the local intake answers only to its own names (DNS rebinding)', () => {
  it.each(['/api/local/series', '/', '/api/local/agent'])('refuses GET %s with Host: evil.example.com: 421, no data, counted and logged', async (path) => {
    const { intake, logger } = await intakeWithData();
    const answer = await http(`${intake.url}${path}`, { headers: { Host: 'evil.example.com' } });
    expect(answer.status).toBe(421);
    expect(answer.text).not.toContain('secret.metric');
    expect(answer.text).not.toContain('<html');
    expect(intake.telemetry()['refused.host']).toBe(1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'refused 1 (host)', obj: expect.objectContaining({ component: 'LocalIntake', host: 'evil.example.com' }) }),
    );
  });

  it('refuses a payload POSTed with a foreign Host, storing nothing', async () => {
    const intake = await intakeFor();
    const answer = await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, V1, { Host: `evil.example.com:${intake.port}` });
    expect(answer.status).toBe(421);
    expect(intake.series()).toEqual([]);
    expect(intake.telemetry()['refused.host']).toBe(1);
  });

  it('refuses a POST from another site\'s page (cross-site Origin): 403, nothing stored, counted', async () => {
    const intake = await intakeFor();
    const answer = await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, V1, { Origin: 'http://evil.example.com', 'Content-Type': 'text/plain' });
    expect(answer.status).toBe(403);
    expect(intake.series()).toEqual([]);
    expect(intake.telemetry()['refused.origin']).toBe(1);
  });

  it.each(['localhost:PORT', '127.0.0.1:PORT', '[::1]:PORT', 'agent.internal:PORT'])('serves Host: %s (agent.internal configured)', async (host) => {
    const { intake } = await intakeWithData({ DD_LOCAL_SERVER_ALLOWED_HOSTS: 'agent.internal other.internal' });
    const answer = await http(`${intake.url}/api/local/series`, { headers: { Host: host.replace('PORT', String(intake.port)) } });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('secret.metric');
    expect(intake.telemetry()['refused.host']).toBeUndefined();
  });

  it('the page on the intake may POST to it (its own Origin), and our forwarder is unaffected', async () => {
    const intake = await intakeFor();
    const own = await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, V1, { Origin: intake.url });
    expect(own.status).toBe(202);
    const { app, serializer } = await pipelineTo(intake.url);
    await serializer.sendSeries([{ name: 'via.forwarder', host: 'h', tags: [], type: 'gauge', interval: 10, points: [{ timestamp: 1_700_000_000, value: 1 }] }]);
    await app.stop(); // the forwarder's stop drains: every payload was answered
    await waitFor(() => intake.series().some((s) => s.metric === 'via.forwarder'), 'the series from the forwarder');
    expect(intake.telemetry()).not.toHaveProperty('refused.host');
    expect(intake.telemetry()).not.toHaveProperty('refused.origin');
  });
});
