import { createServer as createHttpsServer } from 'node:https';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, isIP, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** One request the proxy handled: a forwarded absolute-URI request or a `CONNECT` tunnel. */
export interface ProxiedRequest {
  readonly kind: 'forward' | 'connect';
  /** `host:port` the client asked for (before `routes` are applied). */
  readonly target: string;
  readonly method: string;
  /** The absolute URI of a forwarded request; the authority of a `CONNECT`. */
  readonly url: string;
  /** The `Proxy-Authorization` header as received, if any. */
  readonly proxyAuthorization: string | undefined;
  /** What the proxy answered itself: 200 for a tunnel, 407 refused, 502 unreachable; for a forward, the upstream status. */
  readonly status: number;
}

export interface TestProxyOptions {
  /** Require `Proxy-Authorization: Basic` with these credentials (else 407). */
  readonly auth?: { readonly username: string; readonly password: string };
  /**
   * Host names the proxy resolves itself, name → loopback address (`{ 'intake.example.test':
   * '127.0.0.1' }`): a client that goes through a proxy never resolves the destination, so a
   * test can use names no DNS knows. Anything else must be a loopback address literal.
   */
  readonly routes?: Readonly<Record<string, string>>;
  /** Serve the proxy itself over TLS (an `https://` proxy URL) with this certificate. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/**
 * A real forward and `CONNECT` proxy on 127.0.0.1 (a free port) for tests, recording what
 * passed through it. It only ever connects to loopback addresses: any other destination is
 * answered 502 and recorded, so a test can never send traffic off the machine through it.
 */
export class TestProxy {
  public readonly requests: ProxiedRequest[] = [];
  readonly #server: Server;
  readonly #options: TestProxyOptions;
  readonly #sockets = new Set<Duplex>();
  #port = 0;

  private constructor(options: TestProxyOptions) {
    this.#options = options;
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.#forward(req, res);
    this.#server = options.tls === undefined ? createServer(handler) : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler);
    this.#server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#tunnel(req, socket, head));
    this.#server.on('connection', (socket: Socket) => this.#track(socket));
  }

  /** Starts a proxy; close it with `close()` (in an afterEach). */
  public static async start(options: TestProxyOptions = {}): Promise<TestProxy> {
    const proxy = new TestProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy.#port = (proxy.#server.address() as AddressInfo).port;
    return proxy;
  }

  public get port(): number {
    return this.#port;
  }

  /** `http(s)://[user:password@]127.0.0.1:<port>`, with the credentials the proxy requires. */
  public get url(): string {
    const auth = this.#options.auth;
    const userinfo = auth === undefined ? '' : `${encodeURIComponent(auth.username)}:${encodeURIComponent(auth.password)}@`;
    return `${this.#options.tls === undefined ? 'http' : 'https'}://${userinfo}127.0.0.1:${this.#port}`;
  }

  /** Stops listening and ends every connection and tunnel. */
  public async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections();
    await closed;
  }

  #track(socket: Duplex): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  #authorized(req: IncomingMessage): boolean {
    const auth = this.#options.auth;
    if (auth === undefined) return true;
    const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    return req.headers['proxy-authorization'] === expected;
  }

  /** The loopback address to connect to for `host`, or undefined when the proxy refuses. */
  #resolve(host: string): string | undefined {
    const bare = host.startsWith('[') ? host.slice(1, -1) : host;
    const address = this.#options.routes?.[bare.toLowerCase()] ?? bare;
    if (isIP(address) === 0) return undefined;
    return address === '::1' || address.startsWith('127.') ? address : undefined;
  }

  #record(kind: ProxiedRequest['kind'], req: IncomingMessage, target: string, status: number): void {
    const auth = req.headers['proxy-authorization'];
    this.requests.push({ kind, target, method: req.method ?? '', url: req.url ?? '', proxyAuthorization: auth, status });
  }

  #forward(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      this.#record('forward', req, '', 400);
      res.writeHead(400).end('a proxy takes absolute URIs');
      return;
    }
    const target = url.host;
    if (!this.#authorized(req)) {
      this.#record('forward', req, target, 407);
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test-proxy"' }).end();
      return;
    }
    const address = this.#resolve(url.hostname);
    if (address === undefined || url.protocol !== 'http:') {
      this.#record('forward', req, target, 502);
      res.writeHead(502).end('the test proxy only reaches http:// loopback addresses');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host: address, port: url.port === '' ? 80 : Number(url.port), method: req.method, path: `${url.pathname}${url.search}`, headers },
      (answer) => {
        this.#record('forward', req, target, answer.statusCode ?? 0);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      this.#record('forward', req, target, 502);
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  }

  #tunnel(req: IncomingMessage, client: Duplex, head: Buffer): void {
    this.#track(client);
    client.on('error', () => client.destroy());
    const target = req.url ?? '';
    if (!this.#authorized(req)) {
      this.#record('connect', req, target, 407);
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const colon = target.lastIndexOf(':');
    const address = colon < 0 ? undefined : this.#resolve(target.slice(0, colon));
    if (address === undefined) {
      this.#record('connect', req, target, 502);
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    let established = false;
    const upstream = connect({ host: address, port: Number(target.slice(colon + 1)) }, () => {
      established = true;
      this.#record('connect', req, target, 200);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.#track(upstream);
    upstream.on('error', () => {
      if (!established) {
        this.#record('connect', req, target, 502);
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      } else {
        client.destroy();
      }
    });
    client.on('close', () => upstream.destroy());
  }
}

/** Starts a real local forward/CONNECT proxy: `const proxy = await startTestProxy(); … await proxy.close()`. */
export function startTestProxy(options?: TestProxyOptions): Promise<TestProxy> {
  return TestProxy.start(options);
}
