import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@agentkit/config';
import { createTestApp, RecordingLogger } from '@agentkit/core/testing';
import { statusConfigKeys } from '../src/status/config-keys.js';
import { STATUS_SERVER } from '../src/status/status-server.def.js';
import { statusBundle } from '../src/status/status.module.js';
import { request } from './status-support.js';

async function statusServer(env: Record<string, string> = {}) {
  const logger = new RecordingLogger();
  const config = loadConfig({ keys: statusConfigKeys, env, overrides: { cmd_port: 0 } });
  const app = createTestApp([statusBundle], { config, logger });
  await app.start();
  const server = app.get(STATUS_SERVER);
  return { app, logger, url: server.url, port: server.port };
}

describe('the status server answers only to its own names (DNS rebinding)', () => {
  it.each(['/status', '/telemetry', '/'])('refuses GET %s with Host: evil.example.com: 421, no data, counted and logged', async (path) => {
    const { app, logger, url } = await statusServer();
    const answer = await request(`${url}${path}`, 'GET', { Host: 'evil.example.com' });
    expect(answer.status).toBe(421);
    expect(answer.body).not.toContain(String(process.pid));
    expect(answer.body).not.toContain('StatusServer');
    expect(answer.body).toContain('local_server_allowed_hosts');
    expect(app.telemetry()['StatusServer']).toMatchObject({ 'refused.host': 1 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'refused 1 (host)', obj: expect.objectContaining({ component: 'StatusServer', host: 'evil.example.com' }) }),
    );
  });

  it('refuses a state-changing request from another site\'s page (cross-site Origin) with 403, counted', async () => {
    const { app, url } = await statusServer();
    const answer = await request(`${url}/status`, 'POST', { Origin: 'http://evil.example.com' });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain(String(process.pid));
    expect(app.telemetry()['StatusServer']).toMatchObject({ 'refused.origin': 1 });
    // Without Origin the same POST reaches the server, which allows only reads.
    expect((await request(`${url}/status`, 'POST')).status).toBe(405);
  });

  it.each(['localhost:PORT', '127.0.0.1:PORT', '[::1]:PORT', 'status.internal:PORT'])('serves Host: %s (status.internal configured)', async (host) => {
    const { app, url, port } = await statusServer({ DD_LOCAL_SERVER_ALLOWED_HOSTS: 'status.internal' });
    const answer = await request(`${url}/status`, 'GET', { Host: host.replace('PORT', String(port)) });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ pid: process.pid });
    expect(app.telemetry()['StatusServer']).not.toHaveProperty('refused.host');
  });
});
