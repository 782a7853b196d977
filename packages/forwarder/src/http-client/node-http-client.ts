import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import type { Socket } from 'node:net';
import { finished, pipeline } from 'node:stream/promises';
import { proxyLabel, type HttpClientSettings } from './http-client-settings.js';
import { proxyFor } from './proxy-route.js';
import { bareHost, portOf, proxyAuthorization, serverName, tunnelThrough, type ClientTlsOptions } from './proxy-tunnel.js';
import { TransportError, TransportErrorCode } from './transport-error.js';

/** Timeouts every request of a client gets. */
export interface HttpClientOptions {
  /** To connect (to the intake or the proxy, TLS included), then of inactivity: until the headers, and between body chunks. */
  readonly timeoutMs: number;
}

/** A request body: bytes, or chunks streamed as they come (never gathered first). */
export type HttpRequestBody = Buffer | AsyncIterable<Buffer>;

/** One request: where, what, and what aborts it. */
export interface HttpClientRequest {
  /** `https://host[:port]`. */
  readonly origin: string;
  /** Path and query. */
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Read, never kept or changed: a Buffer may be shared with other requests. */
  readonly body?: HttpRequestBody;
  readonly signal?: AbortSignal;
}

/** A response whose headers arrived; its body is read by the caller, to its end or `dump`ed. */
export interface HttpClientResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Fails with the client's timeout (`ERR_HTTP_BODY_TIMEOUT`), the signal's abort, or the connection's end. */
  readonly body: AsyncIterable<Buffer>;
  /** Reads the rest of the body and drops it (the connection is then reused); never rejects. */
  dump(): Promise<void>;
}

/**
 * The one outgoing HTTP client (node:http / node:https): keep-alive connections per origin,
 * direct or through the proxy {@link proxyFor} picks. Callable at any time; after `destroy`,
 * `request` rejects with `ERR_HTTP_CLIENT_DESTROYED`.
 */
export interface HttpClient {
  /** The proxy requests to `origin` go through (password starred), for log lines; undefined when direct. */
  proxyOf(origin: string): string | undefined;
  /**
   * Sends the request and resolves once the response's headers are in; rejects with a Node
   * error (its `code`: `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …), a {@link TransportError}
   * or the signal's `AbortError`. A request with no body or a Buffer body whose kept-alive
   * connection turns out closed by the server before any answer is sent once more on a new one.
   */
  request(request: HttpClientRequest): Promise<HttpClientResponse>;
  /** Ends every connection; requests in flight fail. */
  destroy(): void;
}

interface Route {
  readonly agent: Agent;
  /** Node's `request` of the module the first hop speaks (`node:https` for TLS). */
  readonly send: (options: RequestOptions) => ClientRequest;
  readonly host: string;
  readonly port: number;
  /** True: the path is the absolute URI (an `http:` target through a proxy). */
  readonly absolute: boolean;
  readonly extraHeaders: Readonly<Record<string, string>>;
  readonly proxy: string | undefined;
}

/** Codes of a kept-alive connection the server closed as the request went out on it. */
const STALE_CONNECTION_CODES: ReadonlySet<unknown> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Builds the client. Proxies as the Agent's transport uses them: an `http:` target goes to an
 * `http:` proxy as an absolute-URI request; an `https:` target through a `CONNECT` tunnel
 * (proxy-tunnel.ts), TLS to the intake inside it; an `https:` proxy is itself reached over TLS
 * under the same settings. node:http and node:https (node:tls) load at the first request that
 * needs them: a plain-HTTP agent never loads TLS.
 */
export function createHttpClient(settings: HttpClientSettings, options: HttpClientOptions): HttpClient {
  const { timeoutMs } = options;
  const tls: ClientTlsOptions = { rejectUnauthorized: settings.rejectUnauthorized, minVersion: settings.minTlsVersion };
  const agents = new Map<string, Agent>();
  const routes = new Map<string, Route>();
  let destroyed = false;

  const agent = (key: string, make: () => Agent): Agent => {
    let found = agents.get(key);
    if (found === undefined) agents.set(key, (found = make()));
    return found;
  };
  const keepAlive = { keepAlive: true, timeout: timeoutMs };
  const httpAgent = (key: string): Agent => agent(key, () => new (process.getBuiltinModule('node:http').Agent)(keepAlive));
  const httpsAgent = (key: string): Agent => agent(key, () => new (process.getBuiltinModule('node:https').Agent)({ ...keepAlive, ...tls }));
  const http = (o: RequestOptions): ClientRequest => process.getBuiltinModule('node:http').request(o);
  // SNI is the first hop's name (the proxy's, for an https: proxy), never Node's guess from the Host header; '' sends none.
  const https = (o: RequestOptions): ClientRequest => process.getBuiltinModule('node:https').request({ ...o, ...tls, servername: serverName(o.host ?? '') ?? '' });

  const routeOf = (origin: string): Route => {
    let route = routes.get(origin);
    if (route !== undefined) return route;
    const target = new URL(origin);
    const secure = target.protocol === 'https:';
    const proxy = proxyFor(target, settings);
    if (proxy === undefined) {
      route = { agent: secure ? httpsAgent('direct https') : httpAgent('direct http'), send: secure ? https : http, host: bareHost(target.hostname), port: portOf(target), absolute: false, extraHeaders: {}, proxy: undefined };
    } else {
      const label = proxyLabel(proxy);
      const auth = proxyAuthorization(proxy);
      if (secure) {
        // Pooled per intake (Node's agent keys connections by host and port): one tunnel each.
        const tunnels = agent(`tunnel ${proxy.href}`, () => {
          const made = new (process.getBuiltinModule('node:https').Agent)({ ...keepAlive, ...tls });
          (made as unknown as { createConnection: unknown }).createConnection = tunnelThrough(proxy, label, tls, timeoutMs);
          return made;
        });
        route = { agent: tunnels, send: https, host: bareHost(target.hostname), port: portOf(target), absolute: false, extraHeaders: {}, proxy: label };
      } else {
        const viaTls = proxy.protocol === 'https:';
        route = {
          agent: viaTls ? httpsAgent(`forward ${proxy.href}`) : httpAgent(`forward ${proxy.href}`),
          send: viaTls ? https : http,
          host: bareHost(proxy.hostname),
          port: portOf(proxy),
          absolute: true,
          extraHeaders: { Host: target.host, ...(auth === undefined ? {} : { 'Proxy-Authorization': auth }) },
          proxy: label,
        };
      }
    }
    routes.set(origin, route);
    return route;
  };

  return {
    proxyOf: (origin) => routeOf(origin).proxy,
    async request(request) {
      if (destroyed) throw new TransportError(TransportErrorCode.ClientDestroyed, `the HTTP client is closed: ${request.method} ${request.origin}${request.path} was not sent`);
      const route = routeOf(request.origin);
      const first = await attempt(route, request, timeoutMs);
      if (first.kind === 'response') return first.response;
      const replayable = request.body === undefined || Buffer.isBuffer(request.body);
      if (!first.stale || !replayable || destroyed || request.signal?.aborted === true) throw first.error;
      const second = await attempt(route, request, timeoutMs);
      if (second.kind === 'response') return second.response;
      throw second.error;
    },
    destroy() {
      destroyed = true;
      for (const a of agents.values()) a.destroy();
      agents.clear();
      routes.clear();
    },
  };
}

type Attempt = { readonly kind: 'response'; readonly response: HttpClientResponse } | { readonly kind: 'error'; readonly error: unknown; readonly stale: boolean };

/** One try on one connection (new or kept alive); settles as the headers arrive or the request fails. */
function attempt(route: Route, request: HttpClientRequest, timeoutMs: number): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    const target = `${request.origin}${request.path}`;
    const signal = request.signal;
    let req: ClientRequest;
    try {
      req = route.send({
        agent: route.agent,
        host: route.host,
        port: route.port,
        method: request.method,
        path: route.absolute ? target : request.path,
        headers: { ...request.headers, ...route.extraHeaders },
      });
    } catch (error) {
      // Node checks the method, path and headers before anything is sent (ERR_INVALID_CHAR, …).
      resolve({ kind: 'error', error, stale: false });
      return;
    }
    let response: IncomingMessage | undefined;
    let connected = false;
    let ownFailure = false;
    const onAbort = (): void => {
      ownFailure = true;
      const error = abortError(signal?.reason);
      if (response !== undefined) response.destroy(error);
      else req.destroy(error);
    };
    const cleanup = (): void => signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted === true) {
      req.destroy();
      resolve({ kind: 'error', error: abortError(signal.reason), stale: false });
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (socket: Socket) => {
      // A reused connection keeps the idle timeout it had in the pool (a server's Keep-Alive hint): this request's is ours.
      socket.setTimeout(timeoutMs);
      if (req.reusedSocket) connected = true;
      else socket.once((socket as { encrypted?: boolean }).encrypted === true ? 'secureConnect' : 'connect', () => (connected = true));
    });
    req.on('timeout', () => {
      ownFailure = true;
      if (response !== undefined) {
        response.destroy(new TransportError(TransportErrorCode.BodyTimeout, `no more of the response from ${request.origin} within ${timeoutMs} ms`));
      } else if (!connected) {
        req.destroy(new TransportError(TransportErrorCode.ConnectTimeout, `no connection to ${route.proxy === undefined ? request.origin : `the proxy ${route.proxy}`} within ${timeoutMs} ms`));
      } else {
        req.destroy(new TransportError(TransportErrorCode.HeadersTimeout, `no response from ${request.origin} within ${timeoutMs} ms`));
      }
    });
    req.on('error', (error) => {
      if (response !== undefined) return; // The body's reader gets it.
      cleanup();
      const code = (error as { code?: unknown }).code;
      resolve({ kind: 'error', error, stale: !ownFailure && req.reusedSocket && STALE_CONNECTION_CODES.has(code) });
    });
    req.once('response', (res: IncomingMessage) => {
      response = res;
      res.once('close', cleanup);
      resolve({ kind: 'response', response: { status: res.statusCode ?? 0, headers: res.headers, body: res, dump: () => dump(res) } });
    });
    const body = request.body;
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else pipeline(body, req).catch((error: unknown) => req.destroy(error instanceof Error ? error : new Error(String(error))));
  });
}

async function dump(res: IncomingMessage): Promise<void> {
  res.resume();
  try {
    await finished(res);
  } catch {
    // Cut short: the status was all the caller wanted.
  }
}

function abortError(reason: unknown): Error {
  const error = new Error(`the request was aborted${reason instanceof Error ? `: ${reason.message}` : ''}`, { cause: reason });
  error.name = 'AbortError';
  (error as { code?: string }).code = 'ABORT_ERR';
  return error;
}
