import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DropCounter, Logger, TelemetryReader } from '@agentkit/core';
import { decodePayload, payloadKindOf, SerializerError, SerializerErrorCode } from '@agentkit/serializer';
import type { DecodedPayloadKind } from '@agentkit/serializer';
import { IntakeError } from '../errors.js';
import type { IntakeHistory } from '../history/intake-history.js';
import type { LocalIntakeStats } from '../local-intake/local-intake.def.js';
import { readSymdbBatch } from '../symdb/symdb-batch.js';
import type { IntakeStats } from './intake-stats.js';
import { readBody } from './read-body.js';
import type { StaticAssets } from './static-assets.js';

/** The symbol database routes: the trace-agent's, and the debugger intake's (agentless). */
export const SYMDB_PATHS: readonly string[] = ['/symdb/v1/input', '/api/v2/debugger'];
export const VALIDATE_PATH = '/api/v1/validate';

/**
 * The page may only talk to this intake: no CDN, no other origin. uPlot sets inline styles,
 * hence 'unsafe-inline' for styles only.
 */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

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
}

/**
 * Answers one request: Datadog payload routes (decoded, stored, 202), API key validation,
 * symbol database uploads, the JSON API (`/api/local/*`) and the page. Never throws and
 * never rejects: a failure is an HTTP error answer, counted when something is refused.
 */
export class IntakeRouter {
  readonly #ctx: RouterContext;

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
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const kind = payloadKindOf(path);
    if (kind !== undefined) {
      this.#ctx.stats.request(kind);
      if (req.method !== 'POST') return this.#methodNotAllowed(res, 'POST');
      return this.#payload(req, res, path, kind);
    }
    if (SYMDB_PATHS.includes(path)) {
      this.#ctx.stats.request('symdb');
      if (req.method !== 'POST') return this.#methodNotAllowed(res, 'POST');
      return this.#symdb(req, res, path);
    }
    if (path === VALIDATE_PATH) {
      this.#ctx.stats.request('validate');
      if (!isRead(req)) return this.#methodNotAllowed(res, 'GET, HEAD');
      // Any key is valid here: the intake is local and keeps nothing secret.
      return this.#json(res, 200, { valid: true });
    }
    if (path.startsWith('/api/local/')) {
      this.#ctx.stats.request('api');
      if (!isRead(req)) return this.#methodNotAllowed(res, 'GET, HEAD');
      return this.#api(res, path.slice('/api/local/'.length), query);
    }
    const asset = this.#ctx.assets.find(path);
    if (asset !== undefined) {
      this.#ctx.stats.request('page');
      if (!isRead(req)) return this.#methodNotAllowed(res, 'GET, HEAD');
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
    this.#ctx.stats.request('not_found');
    return this.#json(res, 404, { errors: [`no route ${path}`] });
  }

  async #payload(req: IncomingMessage, res: ServerResponse, path: string, kind: DecodedPayloadKind): Promise<void> {
    const body = await this.#readBody(req, res, path);
    if (body === undefined) return;
    let decoded;
    try {
      decoded = decodePayload(path, req.headers, body);
    } catch (error) {
      const unsupported = error instanceof SerializerError && error.code === SerializerErrorCode.ContentEncoding;
      const reason = unsupported ? 'unsupported_encoding' : 'decode_error';
      this.#ctx.drops.drop(reason, 1, { path, bytes: body.length, error: (error as Error).message });
      return this.#json(res, unsupported ? 415 : 400, { errors: [(error as Error).message] });
    }
    const items = this.#ctx.history.ingest(decoded, Date.now());
    this.#ctx.stats.accepted(kind, items);
    return this.#json(res, 202, {});
  }

  async #symdb(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body = await this.#readBody(req, res, path);
    if (body === undefined) return;
    try {
      const upload = await readSymdbBatch(path, req.headers['content-type'], body, Date.now());
      this.#ctx.history.addSymdbUpload(upload);
      this.#ctx.stats.accepted('symdb', 1);
      return this.#json(res, 202, {});
    } catch (error) {
      if (!(error instanceof IntakeError)) throw error;
      this.#ctx.drops.drop('bad_multipart', 1, { path, bytes: body.length, error: error.message });
      return this.#json(res, 400, { errors: [error.message] });
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

  #api(res: ServerResponse, name: string, query: URLSearchParams): void {
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
      case 'hosts':
        return this.#json(res, 200, h.hosts());
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

  #methodNotAllowed(res: ServerResponse, allow: string): void {
    this.#json(res, 405, { errors: [`method not allowed (allowed: ${allow})`] }, { Allow: allow });
  }

  #json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    this.#send(res, status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }, body);
  }

  #send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
    if (res.headersSent || res.destroyed) return;
    // While stopping, each answer closes its connection, so keep-alive clients let go.
    if (this.#ctx.stopping()) headers['Connection'] = 'close';
    res.writeHead(status, { ...headers, 'Content-Length': String(body.length), 'X-Content-Type-Options': 'nosniff' });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }
}

function isRead(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}
