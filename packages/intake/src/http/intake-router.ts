import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody, type DropCounter, type Logger, type TelemetryReader } from '@agentkit/core';
import { payloadKindOf } from '@agentkit/serializer';
import { DEBUGGER_PATHS } from '../debugger/debugger-upload.js';
import type { FaultPlan, FaultResponse } from '../faults/fault-plan.js';
import type { IntakeHistory } from '../history/intake-history.js';
import type { LocalIntakeStats } from '../local-intake/local-intake.def.js';
import type { AnsweredRequest, IntakeRequest } from './intake-request.js';
import type { IntakeStats, RouteName } from './intake-stats.js';
import { readRequest, undecodedRequest } from './read-request.js';
import type { StaticAssets } from './static-assets.js';

/** The symbol database routes: the trace-agent's, and the debugger intake's (agentless). */
export const SYMDB_PATHS: readonly string[] = ['/symdb/v1/input', '/api/v2/debugger'];
export const VALIDATE_PATH = '/api/v1/validate';

/**
 * The page may only talk to this intake: no CDN, no other origin. uPlot sets inline styles,
 * hence 'unsafe-inline' for styles only.
 */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
const EMPTY = Buffer.alloc(0);

/** What the router reads and counts with; owned by HttpLocalIntake. */
export interface RouterContext {
  readonly history: IntakeHistory;
  readonly stats: IntakeStats;
  readonly drops: DropCounter;
  readonly telemetry: TelemetryReader;
  readonly assets: StaticAssets;
  readonly log: Logger;
  readonly maxBodyBytes: number;
  /** True once the intake is stopping: answers then close their connection. */
  readonly stopping: () => boolean;
  readonly localStats: () => LocalIntakeStats;
  /** The intake's own name in the app's telemetry, left out of `/api/local/agent`. */
  readonly ownComponentName: string;
  /** What to do wrong (tests); none: every request gets the intake's own answer. */
  readonly faults: FaultPlan | undefined;
  /** Told of every request once it is answered, reset or left hanging. */
  readonly onRequest: ((request: AnsweredRequest) => void) | undefined;
  /** Keeps a response that must never be answered (a `hang` fault) until the intake stops. */
  readonly hold: (res: ServerResponse) => void;
  /** Aborts when the intake closes its connections: a fault's delay ends there. */
  readonly closing: AbortSignal;
}

/**
 * Answers one request: Datadog payload routes (decoded, stored, 202), API key validation,
 * symbol database uploads, the JSON API (`/api/local/*`) and the page; or, when the fault plan
 * says so, a status, a delay, a reset or no answer at all. Never throws and never rejects: a
 * failure is an HTTP error answer, counted when something is refused.
 */
export class IntakeRouter {
  readonly #ctx: RouterContext;
  #nextIndex = 0;

  public constructor(ctx: RouterContext) {
    this.#ctx = ctx;
  }

  public handle(req: IncomingMessage, res: ServerResponse): void {
    this.#route(req, res).catch((error: unknown) => {
      this.#ctx.log.error({ err: error, method: req.method, url: req.url }, 'local intake: request handler failed');
      if (!res.headersSent) this.#json(res, 500, { errors: [`internal error: ${(error as Error).message}`] });
      else res.destroy();
    });
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const route = this.#routeOf(path);
    this.#ctx.stats.request(route);
    const body = await this.#readBody(req, res, path);
    if (body === undefined) {
      this.#report({ ...undecodedRequest(req, route, EMPTY, this.#nextIndex++), status: res.headersSent ? res.statusCode : 0, accepted: false });
      return;
    }
    const { request, refusal } = await readRequest(req, route, body, this.#nextIndex++, this.#ctx.drops, this.#ctx.history);
    const fault = this.#ctx.faults?.next(request);
    const status = fault === undefined ? await this.#answer(req, res, request, refusal) : await this.#fault(req, res, request, refusal, fault);
    if (status !== undefined) this.#report({ ...request, status, accepted: status >= 200 && status < 300 && isKept(request) });
  }

  #routeOf(path: string): RouteName {
    const kind = payloadKindOf(path);
    if (kind !== undefined) return kind;
    if (SYMDB_PATHS.includes(path)) return 'symdb';
    if (DEBUGGER_PATHS.includes(path)) return 'debugger';
    if (path === VALIDATE_PATH) return 'validate';
    if (path.startsWith('/api/local/')) return 'api';
    return this.#ctx.assets.find(path) === undefined ? 'not_found' : 'page';
  }

  /** The intake's own answer; resolves to the status sent. */
  async #answer(req: IncomingMessage, res: ServerResponse, request: IntakeRequest, refusal: 400 | 415): Promise<number> {
    switch (request.route) {
      case 'symdb':
      case 'debugger':
      case 'series_v2':
      case 'series_v1':
      case 'sketches_v2':
      case 'intake':
      case 'check_run_v1':
      case 'logs':
        if (req.method !== 'POST') return this.#methodNotAllowed(res, 'POST');
        if (!(await this.#keep(request))) return this.#json(res, refusal, { errors: [request.decodeError ?? 'not decoded'] });
        return this.#json(res, 202, {});
      case 'validate':
        if (!isRead(req)) return this.#methodNotAllowed(res, 'GET, HEAD');
        // Any key is valid here: the intake is local and keeps nothing secret.
        return this.#json(res, 200, { valid: true });
      case 'api': {
        if (!isRead(req)) return this.#methodNotAllowed(res, 'GET, HEAD');
        const raw = request.path;
        const q = raw.indexOf('?');
        const path = q < 0 ? raw : raw.slice(0, q);
        return this.#api(res, path.slice('/api/local/'.length), new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
      }
      case 'page':
        if (!isRead(req)) return this.#methodNotAllowed(res, 'GET, HEAD');
        return this.#page(res, request.path);
      case 'not_found':
        return this.#json(res, 404, { errors: [`no route ${request.path.split('?', 1)[0] ?? ''}`] });
    }
  }

  /** Applies a fault; resolves to the status sent (0 for a reset or a hang), undefined when the client went away first. */
  async #fault(req: IncomingMessage, res: ServerResponse, request: IntakeRequest, refusal: 400 | 415, fault: FaultResponse): Promise<number | undefined> {
    const delayMs = fault.delayMs ?? 0;
    if (delayMs > 0) {
      try {
        await sleep(delayMs, undefined, { signal: this.#ctx.closing });
      } catch {
        res.destroy(); // the intake is closing its connections
        return undefined;
      }
    }
    if (fault.reset === true) {
      req.socket.resetAndDestroy();
      return 0;
    }
    if (fault.hang === true) {
      this.#ctx.hold(res);
      return 0;
    }
    if (fault.status === undefined) return this.#answer(req, res, request, refusal);
    const status = fault.status;
    if (status >= 200 && status < 300) await this.#keep(request);
    const text = fault.body ?? (status < 300 ? '{}' : JSON.stringify({ errors: [`status ${status} (fault plan)`] }));
    this.#send(res, status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...fault.headers }, Buffer.from(text, 'utf8'));
    return status;
  }

  /** Stores what decoded in the history (a streamed payload is inflated again, item by item); false when there is nothing to keep. */
  async #keep(request: IntakeRequest): Promise<boolean> {
    if (request.decoded !== undefined) {
      this.#ctx.stats.accepted(request.route, await this.#ctx.history.ingest(request.decoded, Date.now()));
      return true;
    }
    if (request.symdb !== undefined) {
      this.#ctx.history.addSymdbUpload(request.symdb.upload);
      this.#ctx.stats.accepted('symdb', 1);
      return true;
    }
    if (request.debugger !== undefined) {
      this.#ctx.history.addDebuggerUpload(request.debugger);
      this.#ctx.stats.accepted('debugger', request.debugger.items);
      return true;
    }
    return false;
  }

  #report(request: AnsweredRequest): void {
    const onRequest = this.#ctx.onRequest;
    if (onRequest === undefined) return;
    try {
      onRequest(request);
    } catch (error) {
      this.#ctx.log.error({ err: error, url: request.path }, 'local intake: the onRequest observer threw');
    }
  }

  /** The body, or undefined once a 413 (or nothing, for a client that went away) was answered. */
  async #readBody(req: IncomingMessage, res: ServerResponse, path: string): Promise<Buffer | undefined> {
    const result = await readBody(req, this.#ctx.maxBodyBytes);
    switch (result.kind) {
      case 'ok':
        return result.body;
      case 'too_large':
        this.#ctx.drops.drop('body_too_large', 1, { path, bytes: result.bytes, maxBodyBytes: this.#ctx.maxBodyBytes });
        // The rest of the body is not read: close the connection rather than drain it.
        this.#json(res, 413, { errors: [`request body over ${this.#ctx.maxBodyBytes} bytes`] }, { Connection: 'close' });
        return undefined;
      case 'aborted':
        this.#ctx.drops.drop('request_aborted', 1, { path, reason: result.reason });
        res.destroy();
        return undefined;
    }
  }

  async #page(res: ServerResponse, path: string): Promise<number> {
    const asset = this.#ctx.assets.find(path.split('?', 1)[0] ?? path);
    if (asset === undefined) return this.#json(res, 404, { errors: [`no route ${path}`] });
    let bytes: Buffer;
    try {
      bytes = await this.#ctx.assets.read(asset);
    } catch (error) {
      this.#ctx.log.error({ path, err: error }, 'local intake: cannot read a page asset');
      return this.#json(res, 500, { errors: [`cannot read ${path}: ${(error as Error).message}`] });
    }
    const headers: Record<string, string> = { 'Content-Type': asset.contentType, 'Cache-Control': asset.cacheControl };
    if (asset.contentType.startsWith('text/html')) headers['Content-Security-Policy'] = PAGE_CSP;
    return this.#send(res, 200, headers, bytes);
  }

  #api(res: ServerResponse, name: string, query: URLSearchParams): number {
    const metric = query.get('metric') ?? undefined;
    const h = this.#ctx.history;
    switch (name) {
      case 'series':
        return this.#json(res, 200, h.series(metric));
      case 'sketches':
        return this.#json(res, 200, h.sketches(metric));
      case 'events':
        return this.#json(res, 200, h.events());
      case 'service_checks':
        return this.#json(res, 200, h.serviceChecks());
      case 'symdb':
        return this.#json(res, 200, h.symdbUploads());
      case 'debugger':
        return this.#json(res, 200, h.debuggerUploads());
      case 'hosts':
        return this.#json(res, 200, h.hosts());
      case 'logs':
        return this.#json(res, 200, h.logs());
      case 'agent':
        return this.#json(res, 200, this.#agentCounters());
      case 'stats':
        return this.#json(res, 200, this.#ctx.localStats());
      default:
        return this.#json(res, 404, { errors: [`no route /api/local/${name}`] });
    }
  }

  /**
   * Every component's counters but the intake's own (those are `/api/local/stats`): `{}` when
   * the intake runs alone, with or without an App around it.
   */
  #agentCounters(): Record<string, unknown> {
    const snapshot: Record<string, unknown> = { ...this.#ctx.telemetry.snapshot() };
    delete snapshot[this.#ctx.ownComponentName];
    return snapshot;
  }

  #methodNotAllowed(res: ServerResponse, allow: string): number {
    return this.#json(res, 405, { errors: [`method not allowed (allowed: ${allow})`] }, { Allow: allow });
  }

  #json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): number {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    return this.#send(res, status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }, body);
  }

  #send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): number {
    if (res.headersSent || res.destroyed) return status;
    // While stopping, each answer closes its connection, so keep-alive clients let go.
    if (this.#ctx.stopping()) headers['Connection'] = 'close';
    res.writeHead(status, { ...headers, 'Content-Length': String(body.length), 'X-Content-Type-Options': 'nosniff' });
    res.end(res.req.method === 'HEAD' ? undefined : body);
    return status;
  }
}

function isRead(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

function isKept(request: IntakeRequest): boolean {
  return request.decoded !== undefined || request.symdb !== undefined || request.debugger !== undefined;
}
