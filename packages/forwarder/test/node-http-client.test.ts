import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { createHttpClient, DEFAULT_HTTP_CLIENT_SETTINGS, TransportErrorCode, type HttpClient, type HttpClientResponse, type HttpClientSettings } from '@agentkit/forwarder';
import { makeTestCertificate, startTestProxy, type TestCertificate, type TestProxyOptions } from '@agentkit/testing';

// The one outgoing HTTP client (node:http / node:https) against real servers and proxies on
// loopback: connection reuse, a kept-alive connection the server closed, streamed bodies,
// proxies (an https: one included), timeouts by phase, abort and destroy.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let certificate: TestCertificate;
beforeAll(async () => {
  certificate = await makeTestCertificate();
});

interface Seen {
  readonly connection: number;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen, perConnection: number) => void;

/** A real HTTP(S) server recording each request, with the index of its connection and its rank on it. */
async function server(handler: Handler = (_req, res) => res.end('ok'), tls = false): Promise<{ origin: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const ids = new WeakMap<Socket, { id: number; count: number }>();
  let connections = 0;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let entry = ids.get(req.socket);
      if (entry === undefined) ids.set(req.socket, (entry = { id: connections++, count: 0 }));
      const record = { connection: entry.id, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(record);
      handler(req, res, record, entry.count++);
    });
  };
  const s = tls ? createHttpsServer(certificate, onRequest) : createServer(onRequest);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  }));
  return { origin: `${tls ? 'https' : 'http'}://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, server: s };
}

/** A TCP server that takes connections and never says a word. */
async function silentTcp(): Promise<number> {
  const sockets = new Set<Socket>();
  const s: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    s.close(() => resolve());
  }));
  return (s.address() as AddressInfo).port;
}

function client(settings: Partial<HttpClientSettings> = {}, timeoutMs = 5000): HttpClient {
  const made = createHttpClient({ ...DEFAULT_HTTP_CLIENT_SETTINGS, ...settings }, { timeoutMs });
  cleanups.push(() => made.destroy());
  return made;
}

async function text(response: HttpClientResponse): Promise<string> {
  let out = '';
  for await (const chunk of response.body) out += chunk.toString('utf8');
  return out;
}

async function proxy(options: TestProxyOptions = {}): Promise<Awaited<ReturnType<typeof startTestProxy>>> {
  const started = await startTestProxy(options);
  cleanups.push(() => started.close());
  return started;
}

const post = (origin: string, body?: Buffer | AsyncIterable<Buffer>): Parameters<HttpClient['request']>[0] => ({
  origin,
  path: '/intake?x=1',
  method: 'POST',
  headers: { 'Content-Type': 'text/plain' },
  ...(body === undefined ? {} : { body }),
});

describe('createHttpClient', () => {
  it('keeps the connection alive: requests to one origin, one after the other, share one connection', async () => {
    const target = await server();
    const http = client();
    for (let i = 0; i < 3; i++) {
      const response = await http.request(post(target.origin, Buffer.from(`payload ${i}`)));
      expect(response.status).toBe(200);
      expect(await text(response)).toBe('ok');
    }
    expect(target.seen.map((s) => [s.connection, s.url, s.body.toString()])).toEqual([
      [0, '/intake?x=1', 'payload 0'],
      [0, '/intake?x=1', 'payload 1'],
      [0, '/intake?x=1', 'payload 2'],
    ]);
  });

  it('streams an async-iterable body chunk by chunk (chunked encoding) and the server gets all of it', async () => {
    const target = await server();
    async function* chunks(): AsyncIterable<Buffer> {
      for (let i = 0; i < 50; i++) yield Buffer.alloc(16 * 1024, i);
    }
    const response = await client().request(post(target.origin, chunks()));
    await response.dump();
    expect(response.status).toBe(200);
    expect(target.seen[0]?.headers['transfer-encoding']).toBe('chunked');
    expect(target.seen[0]?.body.length).toBe(50 * 16 * 1024);
    expect(target.seen[0]?.body[16 * 1024 * 49]).toBe(49);
  });

  describe('a kept-alive connection the server closes as the request goes out', () => {
    // The server answers the first request of each connection and drops the connection on the
    // second, unanswered: what a server closing an idle connection does as the next request arrives.
    const dropsSecond: Handler = (req, res, _seen, rank) => {
      if (rank === 0) res.end('ok');
      else req.socket.destroy();
    };

    it('sends a request with a Buffer body once more, on a new connection', async () => {
      const target = await server(dropsSecond);
      const http = client();
      await (await http.request(post(target.origin, Buffer.from('one')))).dump();
      const second = await http.request(post(target.origin, Buffer.from('two')));
      expect(second.status).toBe(200);
      await second.dump();
      expect(target.seen.map((s) => [s.connection, s.body.toString()])).toEqual([
        [0, 'one'],
        [0, 'two'],
        [1, 'two'],
      ]);
    });

    it('reports a streamed body (it cannot be sent again) as a connection reset', async () => {
      const target = await server(dropsSecond);
      const http = client();
      await (await http.request(post(target.origin, Buffer.from('one')))).dump();
      async function* once(): AsyncIterable<Buffer> {
        yield Buffer.from('two');
      }
      await expect(http.request(post(target.origin, once()))).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(target.seen).toHaveLength(2);
    });
  });

  describe('proxies', () => {
    it('tunnels https:// through an https:// proxy (TLS to the proxy, then to the intake inside), with the credentials', async () => {
      const target = await server(undefined, true);
      const connect = await proxy({ tls: certificate, auth: { username: 'u', password: 'p@ss' } });
      const http = client({ httpsProxy: new URL(connect.url), rejectUnauthorized: false });
      expect(http.proxyOf(target.origin)).toBe(`https://u:********@127.0.0.1:${connect.port}`);
      for (let i = 0; i < 2; i++) await (await http.request(post(target.origin, Buffer.from('x')))).dump();
      expect(connect.requests).toEqual([expect.objectContaining({ kind: 'connect', proxyAuthorization: `Basic ${Buffer.from('u:p@ss').toString('base64')}`, status: 200 })]);
      // One tunnel, kept alive: both requests went through it.
      expect(target.seen.map((s) => s.connection)).toEqual([0, 0]);
      expect(target.seen[0]?.headers['proxy-authorization']).toBeUndefined();
    });

    it('sends http:// to an https:// proxy as an absolute-URI request over TLS', async () => {
      const target = await server();
      const forward = await proxy({ tls: certificate });
      const http = client({ httpProxy: new URL(forward.url), rejectUnauthorized: false });
      const response = await http.request(post(target.origin, Buffer.from('x')));
      expect(await text(response)).toBe('ok');
      expect(forward.requests).toEqual([expect.objectContaining({ kind: 'forward', url: `${target.origin}/intake?x=1`, status: 200 })]);
    });

    it('checks the https:// proxy’s own certificate unless skip_ssl_validation', async () => {
      const target = await server(undefined, true);
      const connect = await proxy({ tls: certificate });
      await expect(client({ httpsProxy: new URL(connect.url) }).request(post(target.origin))).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/) });
      expect(connect.requests).toHaveLength(0);
    });

    it('reports a refused CONNECT (407) naming the proxy, password starred, and its status', async () => {
      const target = await server(undefined, true);
      const connect = await proxy({ auth: { username: 'u', password: 'right' } });
      const http = client({ httpsProxy: new URL(`http://u:wrong@127.0.0.1:${connect.port}`), rejectUnauthorized: false });
      const failure = http.request(post(target.origin));
      await expect(failure).rejects.toMatchObject({ code: TransportErrorCode.ProxyRefused });
      const message = String(((await failure.catch((e: unknown) => e)) as Error).message);
      expect(message).toContain(`http://u:********@127.0.0.1:${connect.port}`);
      expect(message).toContain('407');
      expect(message).not.toContain('wrong');
    });
  });

  describe('timeouts (forwarder_timeout)', () => {
    it('ERR_HTTP_CONNECT_TIMEOUT when the TLS handshake does not complete', async () => {
      const port = await silentTcp();
      await expect(client({}, 300).request(post(`https://127.0.0.1:${port}`))).rejects.toMatchObject({ code: TransportErrorCode.ConnectTimeout });
    });

    it('ERR_HTTP_CONNECT_TIMEOUT when the proxy never answers the CONNECT', async () => {
      const port = await silentTcp();
      const http = client({ httpsProxy: new URL(`http://127.0.0.1:${port}`) }, 300);
      await expect(http.request(post('https://intake.example.test'))).rejects.toMatchObject({ code: TransportErrorCode.ConnectTimeout, message: expect.stringContaining(`the proxy http://127.0.0.1:${port}`) });
    });

    it('ERR_HTTP_HEADERS_TIMEOUT when the server takes the request and never answers', async () => {
      const target = await server(() => undefined);
      await expect(client({}, 300).request(post(target.origin, Buffer.from('x')))).rejects.toMatchObject({ code: TransportErrorCode.HeadersTimeout });
    });

    it('ERR_HTTP_BODY_TIMEOUT when the body stops coming', async () => {
      const target = await server((_req, res) => {
        res.writeHead(200, { 'Content-Length': '10' });
        res.write('12345');
      });
      const response = await client({}, 300).request(post(target.origin));
      expect(response.status).toBe(200);
      await expect(text(response)).rejects.toMatchObject({ code: TransportErrorCode.BodyTimeout });
    });
  });

  it('rejects with an AbortError when the signal aborts before the answer', async () => {
    const target = await server(() => undefined);
    const controller = new AbortController();
    const pending = client().request({ ...post(target.origin), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopping')), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', message: expect.stringContaining('stopping') });
  });

  it('refuses requests once destroyed (ERR_HTTP_CLIENT_DESTROYED) and reports refused connections with ECONNREFUSED', async () => {
    const port = await silentTcp();
    const http = client();
    http.destroy();
    await expect(http.request(post(`http://127.0.0.1:${port}`))).rejects.toMatchObject({ code: TransportErrorCode.ClientDestroyed });
    const target = await server();
    const origin = target.origin;
    await new Promise<void>((resolve) => target.server.close(() => resolve()));
    await expect(client().request(post(origin))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
