import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, type DropCounter, type Logger } from '@agentkit/core';
import type { DebuggerProxy } from '@agentkit/debugger';
import type { DogstatsdProxy } from './dogstatsd-proxy.js';
import { DEBUGGER_ROUTES, DOGSTATSD_PROXY_ROUTES, INFO_ROUTE, SERVICES_ROUTES, TRACE_ROUTES, type TraceVersion } from './endpoints.js';
import { decodeTraces } from './trace-decoder.js';
import type { TraceTally } from './trace-tally.js';

/** Distinct unknown paths logged (each once, at warn); past it they are only counted. */
const MAX_LOGGED_UNKNOWN_PATHS = 50;
const MAX_LOGGED_PATH_CHARS = 100;

/** Every rate a tracer is told: keep everything (the Agent's answer before its sampler has rates). */
const RATE_BY_SERVICE = JSON.stringify({ rate_by_service: { 'service:,env:': 1 } });

export interface ApmRouterParts {
  readonly log: Logger;
  /** `dropped.<reason>`: refused requests (bad input, wrong method, no such route…). */
  readonly drops: DropCounter;
  readonly maxPayloadBytes: number;
  readonly traces: TraceTally;
  /** Undefined when the app has no DogStatsD server (`use_dogstatsd: false`). */
  readonly dogstatsd: DogstatsdProxy | undefined;
  readonly debuggerProxy: DebuggerProxy | undefined;
  /** The `/info` body. */
  readonly info: () => string;
}

/**
 * Routes one request of the trace agent's port, as the Agent's mux does (pkg/trace/api): exact
 * paths, and for anything else Go's `404 page not found`. Error answers are Go's `http.Error`:
 * text, the Agent's words (`payload-too-large`, `unexpected-eof`). Bodies are read whole up to
 * `apm_config.max_payload_size`; a declared larger one is refused before it is read.
 */
export class ApmRouter {
  readonly #p: ApmRouterParts;
  readonly #loggedUnknown = new Set<string>();
  #notFound = 0;
  #infoRequests = 0;

  public constructor(parts: ApmRouterParts) {
    this.#p = parts;
  }

  public async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const version = TRACE_ROUTES.get(path);
    if (version !== undefined) return this.#traces(req, res, version);
    if (DOGSTATSD_PROXY_ROUTES.includes(path)) return this.#dogstatsd(req, res, path);
    if (path === INFO_ROUTE) return this.#info(req, res);
    if (SERVICES_ROUTES.includes(path)) return this.#services(req, res, path);
    const proxy = this.#p.debuggerProxy;
    if (proxy !== undefined && proxy.paths.includes(path)) return proxy.handle(req, res);
    if (DEBUGGER_ROUTES.includes(path)) {
      this.#p.drops.drop('no_debugger_proxy', 1, { path });
      return notFound(res);
    }
    this.#unknown(req, path);
    return notFound(res);
  }

  public telemetry(): Record<string, number> {
    return { info_requests: this.#infoRequests, ...(this.#notFound > 0 ? { 'dropped.not_found': this.#notFound } : {}) };
  }

  async #traces(req: IncomingMessage, res: ServerResponse, version: TraceVersion): Promise<void> {
    if (!this.#writeMethod(req, res, version)) return;
    const body = await this.#body(req, res, version);
    if (body === undefined) return;
    const result = await decodeTraces(version, body, req.headers['content-type']);
    if (!result.ok) {
      const { refusal } = result;
      this.#p.drops.drop(refusal.reason, 1, { path: req.url, traceCount: req.headers['x-datadog-trace-count'], message: refusal.message });
      return httpError(res, refusal.status, refusal.message);
    }
    this.#p.traces.accepted(version, result.summary);
    if (version === 'v0.3') return send(res, 200, 'text/plain; charset=utf-8', 'OK\n');
    send(res, 200, 'application/json', RATE_BY_SERVICE);
  }

  async #dogstatsd(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const proxy = this.#p.dogstatsd;
    if (proxy === undefined) {
      // As the Agent with DogStatsD off: 503, and the tracer falls back to nothing else.
      this.#p.drops.drop('dogstatsd_disabled', 1, { path });
      return httpError(res, 503, '503 Status Unavailable');
    }
    if (!this.#writeMethod(req, res, path)) return;
    const body = await this.#body(req, res, path);
    if (body === undefined) return;
    proxy.forward(body);
    send(res, 200, 'text/plain; charset=utf-8', '');
  }

  #info(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      this.#p.drops.drop('method_not_allowed', 1, { path: INFO_ROUTE, method: req.method });
      res.setHeader('Allow', 'GET, HEAD');
      return httpError(res, 405, `${req.method ?? ''} not allowed on /info: use GET`);
    }
    this.#infoRequests += 1;
    const body = this.#p.info();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async #services(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    // The Agent keeps nothing from these since services come from spans; read, then answer.
    if ((await this.#body(req, res, path)) === undefined) return;
    send(res, 200, 'text/plain; charset=utf-8', 'OK\n');
  }

  /** PUT or POST (dd-trace-js PUTs its traces, POSTs its metrics); else 405, counted. */
  #writeMethod(req: IncomingMessage, res: ServerResponse, what: string): boolean {
    if (req.method === 'PUT' || req.method === 'POST') return true;
    this.#p.drops.drop('method_not_allowed', 1, { path: what, method: req.method });
    res.setHeader('Allow', 'PUT, POST');
    httpError(res, 405, `${req.method ?? ''} not allowed: send with PUT or POST`);
    return false;
  }

  async #body(req: IncomingMessage, res: ServerResponse, what: string): Promise<Buffer | undefined> {
    const max = this.#p.maxPayloadBytes;
    const result = await readBody(req, max);
    switch (result.kind) {
      case 'ok':
        return result.body;
      case 'too_large':
        this.#p.drops.drop('payload_too_large', 1, { path: what, bytes: result.bytes, max_payload_size: max });
        // The rest of the body is not read: close the connection rather than drain it.
        res.setHeader('Connection', 'close');
        httpError(res, 413, 'payload-too-large');
        return undefined;
      case 'aborted':
        this.#p.drops.drop('aborted', 1, { path: what, reason: result.reason });
        res.destroy();
        return undefined;
    }
  }

  #unknown(req: IncomingMessage, path: string): void {
    this.#notFound += 1;
    const shown = path.slice(0, MAX_LOGGED_PATH_CHARS);
    // Tracers poll some routes (telemetry, remote config) every few seconds: log each path once.
    if (this.#loggedUnknown.size >= MAX_LOGGED_UNKNOWN_PATHS || this.#loggedUnknown.has(shown)) return;
    this.#loggedUnknown.add(shown);
    this.#p.log.warn({ path: shown, method: req.method }, `no route ${shown} on the trace agent port: answered 404 as the Agent does for what it does not serve (dropped.not_found; each path is logged once)`);
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Go's `http.Error`: the message and a newline, as text, not to be sniffed. */
function httpError(res: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Go's `http.NotFound`, what the Agent's mux answers for a route it does not have. */
function notFound(res: ServerResponse): void {
  httpError(res, 404, '404 page not found');
}
