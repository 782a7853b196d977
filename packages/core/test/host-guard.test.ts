import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, request, type OutgoingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { HostGuard } from '../src/index.js';
import { RecordingLogger } from '../src/testing/index.js';

interface Answer {
  readonly status: number;
  readonly body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A real node:http server behind a guard; what it serves is "secret data". */
async function guarded(allowedHosts: readonly string[] = [], boundHost?: string) {
  const logger = new RecordingLogger();
  const guard = new HostGuard({ allowedHosts, logger, ...(boundHost === undefined ? {} : { boundHost }) });
  const server = createServer((req, res) => {
    if (!guard.admit(req, res)) return;
    res.end('secret data');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  /** One request with exactly these headers (node:http, since fetch cannot set Host). */
  const send = (headers: { host?: string; origin?: string }, method = 'GET'): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const out: OutgoingHttpHeaders = {};
      if (headers.host !== undefined) out['Host'] = headers.host;
      if (headers.origin !== undefined) out['Origin'] = headers.origin;
      const req = request(
        { host: '127.0.0.1', port, method, path: '/', headers: out, agent: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(method === 'GET' ? undefined : 'payload');
    });
  return { guard, logger, port, send };
}

describe('HostGuard', () => {
  it.each([
    ['localhost with the port', 'localhost:PORT'],
    ['localhost without a port', 'localhost'],
    ['a *.localhost name (resolved to loopback by browsers)', 'app.localhost:PORT'],
    ['upper case and a final dot', 'LocalHost.:PORT'],
    ['the IPv4 address bound', '127.0.0.1:PORT'],
    ['the IPv6 loopback', '[::1]:PORT'],
    ['another IP literal (no name to rebind)', '10.1.2.3:9999'],
    ['localhost on another port (a port forward)', 'localhost:8080'],
  ])('serves a Host that is %s', async (_what, host) => {
    const { send, port, guard } = await guarded();
    expect(await send({ host: host.replace('PORT', String(port)) })).toEqual({ status: 200, body: 'secret data' });
    expect(guard.telemetry()).toEqual({});
  });

  it('serves an HTTP/1.0 request without Host: no browser sends one (node answers 400 to HTTP/1.1 without it)', async () => {
    const { port } = await guarded();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => socket.end('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (text += c));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw).toContain('secret data');
  });

  it.each([
    ['a foreign name (DNS rebinding)', 'evil.example.com'],
    ['a foreign name with our port', 'evil.example.com:PORT'],
    ['a name that ends like localhost', 'evil-localhost:PORT'],
    ['localhost as a subdomain of another name', 'localhost.evil.example.com'],
    ['a malformed value', 'local host'],
    ['an unterminated IPv6 literal', '[::1'],
    ['a decimal IPv4 (not a browser form)', '2130706433'],
  ])('refuses a Host that is %s with 421, no data, counted and logged', async (_what, host) => {
    const { send, port, guard, logger } = await guarded();
    const answer = await send({ host: host.replace('PORT', String(port)) });
    expect(answer.status).toBe(421);
    expect(answer.body).not.toContain('secret');
    expect(answer.body).toContain('local_server_allowed_hosts');
    expect(guard.telemetry()).toEqual({ 'refused.host': 1 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'refused 1 (host)', obj: expect.objectContaining({ reason: 'host', host: host.replace('PORT', String(port)) }) }),
    );
  });

  it('logs a burst of refusals once, and the rest at flushLog', async () => {
    const { send, guard, logger } = await guarded();
    for (let i = 0; i < 5; i++) expect((await send({ host: 'evil.example.com' })).status).toBe(421);
    expect(guard.telemetry()).toEqual({ 'refused.host': 5 });
    expect(logger.messages('warn')).toEqual(['refused 1 (host)']);
    guard.flushLog();
    expect(logger.messages('warn')).toEqual(['refused 1 (host)', 'refused 4 (host)']);
  });

  it('cuts a long refused name in the log', async () => {
    const { send, logger } = await guarded();
    const host = `${'a'.repeat(300)}.example.com`;
    await send({ host });
    expect(logger.lines.at(-1)?.obj).toMatchObject({ host: 'a'.repeat(100) });
  });

  it.each([
    ['a name', ['agent.internal'], 'agent.internal:8127'],
    ['a name with a port (ignored)', ['agent.internal:1'], 'AGENT.internal'],
    ['a wildcard, for a subdomain', ['*.dev.internal'], 'box.dev.internal:8127'],
  ])('serves a configured name: %s', async (_what, allowed, host) => {
    const { send } = await guarded(allowed);
    expect((await send({ host })).status).toBe(200);
    expect((await send({ host: 'evil.example.com' })).status).toBe(421);
  });

  it('a wildcard does not cover the bare name, and the bound name is one of ours', async () => {
    const { send } = await guarded(['*.dev.internal'], 'agent-host');
    expect((await send({ host: 'dev.internal' })).status).toBe(421);
    expect((await send({ host: 'agent-host:1' })).status).toBe(200);
  });

  describe('Origin', () => {
    it.each(['http://evil.example.com', 'https://203.0.113.5', 'null', 'http://[2001:db8::1]:8080', 'not a url'])(
      'refuses a POST from the page of another site (Origin %s) with 403, counted',
      async (origin) => {
        const { send, port, guard } = await guarded();
        const answer = await send({ host: `127.0.0.1:${port}`, origin }, 'POST');
        expect(answer.status).toBe(403);
        expect(answer.body).not.toContain('secret');
        expect(guard.telemetry()).toEqual({ 'refused.origin': 1 });
      },
    );

    it.each(['PUT', 'DELETE', 'PATCH'])('refuses a cross-site %s too', async (method) => {
      const { send } = await guarded();
      expect((await send({ host: 'localhost', origin: 'http://evil.example.com' }, method)).status).toBe(403);
    });

    it.each(['http://localhost:8127', 'http://127.0.0.1:PORT', 'http://127.8.0.1', 'http://[::1]:PORT', 'http://app.localhost', 'http://agent.internal'])(
      'serves a POST from our own pages (Origin %s)',
      async (origin) => {
        const { send, port } = await guarded(['agent.internal']);
        expect((await send({ host: `localhost:${port}`, origin: origin.replace('PORT', String(port)) }, 'POST')).status).toBe(200);
      },
    );

    it('leaves a cross-site GET alone (the page cannot read the answer), and a POST without Origin (forwarder, tracers, curl)', async () => {
      const { send, port, guard } = await guarded();
      expect((await send({ host: `127.0.0.1:${port}`, origin: 'http://evil.example.com' })).status).toBe(200);
      expect((await send({ host: `127.0.0.1:${port}` }, 'POST')).status).toBe(200);
      expect(guard.telemetry()).toEqual({});
    });

    it('checks Host first: a rebinding POST is a refused host', async () => {
      const { send, guard } = await guarded();
      expect((await send({ host: 'evil.example.com', origin: 'http://evil.example.com' }, 'POST')).status).toBe(421);
      expect(guard.telemetry()).toEqual({ 'refused.host': 1 });
    });
  });
});
