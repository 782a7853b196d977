import { afterEach, describe, expect, it } from '@jest/globals';
import { deflateSync } from 'node:zlib';
import type { HttpLocalIntake, LocalEvent, LocalHost } from '../src/index.js';
import { HOSTS_KEPT } from '../src/history/host-store.js';
import { getJson, intakeFor, post } from './helpers.js';

const intakes: HttpLocalIntake[] = [];
afterEach(async () => {
  for (const intake of intakes.splice(0)) await intake.onStop();
});
async function start(): Promise<HttpLocalIntake> {
  const intake = await intakeFor();
  intakes.push(intake);
  return intake;
}

function hostPayload(host: string, system: string[]): Buffer {
  const body = { apiKey: '', agentVersion: '0.1.0', internalHostname: host, os: 'linux', meta: { hostname: host }, 'host-tags': { system }, gohai: '' };
  return deflateSync(JSON.stringify(body));
}
const JSON_DEFLATE = { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' };

describe('host metadata on /intake/', () => {
  it('is told apart from events by its fields, and the latest per host is served on /api/local/hosts', async () => {
    const intake = await start();
    expect((await post(`${intake.url}/intake/`, hostPayload('web-1', ['env:prod', 'team:a']), JSON_DEFLATE)).status).toBe(202);
    expect((await post(`${intake.url}/intake/`, hostPayload('web-2', []), JSON_DEFLATE)).status).toBe(202);
    expect((await post(`${intake.url}/intake/`, hostPayload('web-1', ['env:prod', 'team:b']), JSON_DEFLATE)).status).toBe(202);
    const events = JSON.stringify({ apiKey: '', events: { api: [{ msg_title: 'Deploy', msg_text: 'v2', timestamp: 1, host: 'web-1' }] }, internalHostname: 'web-1' });
    expect((await post(`${intake.url}/intake/`, events, { 'Content-Type': 'application/json' })).status).toBe(202);

    const hosts = await getJson<LocalHost[]>(`${intake.url}/api/local/hosts`);
    expect(hosts.map((h) => [h.hostname, h.tags, h.payloads])).toEqual([
      ['web-2', [], 1],
      ['web-1', ['env:prod', 'team:b'], 2],
    ]);
    expect(hosts[1]).toMatchObject({ agentVersion: '0.1.0', os: 'linux', tagsBySource: { system: ['env:prod', 'team:b'] } });
    expect((await getJson<LocalEvent[]>(`${intake.url}/api/local/events`)).map((e) => e.title)).toEqual(['Deploy']);
    expect(intake.stats().stored).toMatchObject({ events: 1, hosts: 2 });
  });

  it('refuses, and counts, an /intake/ body that is neither events nor host metadata', async () => {
    const intake = await start();
    const answer = await post(`${intake.url}/intake/`, JSON.stringify({ internalHostname: 'x' }), { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(400);
    expect(intake.stats().dropped).toMatchObject({ decode_error: 1 });
    expect(intake.hosts()).toEqual([]);
  });

  it(`keeps at most ${HOSTS_KEPT} hosts, pushing out the one that reported least recently`, async () => {
    const intake = await start();
    for (let i = 0; i <= HOSTS_KEPT; i++) await post(`${intake.url}/intake/`, hostPayload(`h${i}`, []), JSON_DEFLATE);
    const hosts = intake.hosts();
    expect(hosts).toHaveLength(HOSTS_KEPT);
    expect(hosts[0]?.hostname).toBe('h1');
    expect(intake.stats().evicted).toBe(1);
  });
});
