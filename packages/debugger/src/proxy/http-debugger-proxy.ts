import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG, inject, injectable, LOGGER, optional, settleWithin, type ConfigReader, type Logger, type Stoppable, type TelemetrySnapshot, type TelemetrySource } from '@agentkit/core';
import { classifyStatus, createHttpClient, ExpBackoffPolicy, forwarderKeys, readHttpClientSettings, type HttpClient, type HttpClientSettings } from '@agentkit/forwarder';
import { resolveDebuggerDestinations, type DebuggerDestination, type DebuggerDestinations, type DebuggerTarget } from './debugger-destination.js';
import {
  DEBUGGER_PROXY_OPTIONS,
  DEFAULT_DEBUGGER_MAX_ATTEMPTS,
  DEFAULT_DEBUGGER_MAX_BODY_BYTES,
  DEFAULT_DEBUGGER_RETRY_BUFFER_BYTES,
  DEFAULT_DEBUGGER_RETRY_BUFFER_TOTAL_BYTES,
  type DebuggerProxyOptions,
} from './debugger-proxy-options.js';
import type { DebuggerProxy } from './debugger-proxy.def.js';
import { DebuggerProxyStats } from './debugger-proxy-stats.js';
import { DEBUGGER_PATHS } from './debugger-routes.js';
import { headersFor, outgoingRequest, type OutgoingRequest } from './forward-headers.js';
import { holdBody, type BodyLimits, type BodyStream } from './request-body.js';
import { sendOnce, type Attempt } from './send-once.js';

/**
 * Forwards the tracers' debugger and symdb uploads as the Datadog Agent's reverse proxies do
 * (headers, tags, destinations: see `outgoingRequest`, `resolveDebuggerDestinations`), through
 * the forwarder's HTTP client (node:http / node:https: `proxy.*`, `skip_ssl_validation`, `min_tls_version`,
 * `forwarder_timeout` per request). A body up to the retry buffer is held and retried on a
 * transport error or a retryable status (`classifyStatus`), waiting the forwarder's backoff
 * (`forwarder_backoff_*`) between attempts, and copied to the additional endpoints; a longer
 * one is streamed to the main intake once, never held whole. The tracer gets the intake's
 * status and body (502 when it could not be reached, 413 for a body over the limit). The client
 * is made at the first upload. `handle` may be called before start and never rejects; on stop,
 * uploads in flight are waited for until the stop's signal aborts, then cut.
 */
@injectable()
export class HttpDebuggerProxy implements DebuggerProxy, TelemetrySource, Stoppable {
  public readonly paths: readonly string[] = DEBUGGER_PATHS;
  readonly #log: Logger;
  readonly #destinations: DebuggerDestinations;
  readonly #http: HttpClientSettings;
  readonly #timeoutMs: number;
  readonly #backoff: ExpBackoffPolicy;
  readonly #limits: BodyLimits;
  readonly #maxAttempts: number;
  readonly #stats: DebuggerProxyStats;
  readonly #inflight = new Set<Promise<void>>();
  /** Aborts uploads in flight once the stop's time is up. */
  readonly #cut = new AbortController();
  #bufferLeftBytes: number;
  #stopped = false;
  #client: HttpClient | undefined;

  public constructor(
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
    @inject(DEBUGGER_PROXY_OPTIONS) @optional() options: DebuggerProxyOptions = {},
  ) {
    this.#log = logger.child({ component: 'debugger-proxy' });
    this.#destinations = resolveDebuggerDestinations(config);
    this.#http = readHttpClientSettings(config);
    this.#timeoutMs = config.get(forwarderKeys.timeout) * 1000;
    this.#backoff = new ExpBackoffPolicy({
      baseMs: config.get(forwarderKeys.backoffBase) * 1000,
      maxMs: config.get(forwarderKeys.backoffMax) * 1000,
      factor: config.get(forwarderKeys.backoffFactor),
      recoveryInterval: 1,
      recoveryReset: true,
    });
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_DEBUGGER_MAX_BODY_BYTES;
    this.#limits = { maxBodyBytes, retryBufferBytes: Math.min(maxBodyBytes, options.retryBufferBytes ?? DEFAULT_DEBUGGER_RETRY_BUFFER_BYTES) };
    this.#bufferLeftBytes = options.retryBufferTotalBytes ?? DEFAULT_DEBUGGER_RETRY_BUFFER_TOTAL_BYTES;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_DEBUGGER_MAX_ATTEMPTS);
    this.#stats = new DebuggerProxyStats(this.#log);
    for (const d of this.#destinations.byPath.values()) this.#log.debug({ path: d.route.path, url: d.main.url.origin + d.main.url.pathname, kind: d.kind, additional: d.additional.length }, 'debugger proxy route');
  }

  /** Where each route goes (tests, `agentkit status`). */
  public get destinations(): DebuggerDestinations {
    return this.#destinations;
  }

  public handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const work = this.#handle(request, response).catch((error: unknown) => {
      this.#log.error({ err: error, path: request.url }, 'debugger proxy: request handler failed');
      answer(response, 500, `debugger proxy: internal error: ${(error as Error).message}`);
    });
    this.#inflight.add(work);
    this.#stats.inflight = this.#inflight.size;
    return work.finally(() => {
      this.#inflight.delete(work);
      this.#stats.inflight = this.#inflight.size;
    });
  }

  public telemetry(): TelemetrySnapshot {
    return this.#stats.snapshot();
  }

  public async onStop(signal: AbortSignal): Promise<void> {
    this.#stopped = true;
    const waited = await settleWithin(Promise.all([...this.#inflight]), signal);
    if (!waited.settled) this.#cut.abort(new Error('the agent is stopping'));
    this.#stats.flushLogs();
    this.#client?.destroy();
    this.#client = undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const path = rawUrl.split('?', 1)[0] ?? rawUrl;
    const destination = this.#destinations.byPath.get(path);
    this.#stats.requests++;
    if (destination === undefined) {
      this.#stats.refused.drop('unknown_path', 1, { path });
      answer(res, 404, `debugger proxy: no route ${path}`);
      return;
    }
    if (this.#stopped) {
      // The receiver stops before the proxy, so only a caller that outlives the app gets here.
      this.#stats.refused.drop('stopped', 1, { path });
      answer(res, 503, 'debugger proxy: the agent is stopping', { Connection: 'close' });
      return;
    }
    // The tracer going away ends the upload (and its retries).
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort(new Error('the tracer closed the connection'));
    });
    const reservedBytes = Math.min(this.#limits.retryBufferBytes, this.#bufferLeftBytes);
    this.#bufferLeftBytes -= reservedBytes;
    try {
      const held = await holdBody(req, this.#limits, reservedBytes);
      const route = destination.route.name;
      switch (held.kind) {
        case 'too_large':
          this.#stats.refused.drop('body_too_large', 1, { route, bytes: held.bytes, maxBodyBytes: this.#limits.maxBodyBytes });
          // The rest of the body is not read: close the connection rather than drain it.
          answer(res, 413, `request body over ${this.#limits.maxBodyBytes} bytes`, { Connection: 'close' });
          return;
        case 'aborted':
          this.#stats.dropped.drop('client_aborted', 1, { route, reason: held.reason });
          res.destroy();
          return;
        case 'whole':
          await this.#forwardHeld(req, res, destination, held.body, gone.signal);
          return;
        case 'streamed':
          await this.#forwardStreamed(req, res, destination, held.stream, gone.signal);
          return;
      }
    } finally {
      this.#bufferLeftBytes += reservedBytes;
    }
  }

  async #forwardHeld(req: IncomingMessage, res: ServerResponse, destination: DebuggerDestination, body: Buffer, gone: AbortSignal): Promise<void> {
    const outgoing = outgoingRequest(destination, this.#destinations.hostTags, req.headers, req.url ?? '/');
    const copies = destination.additional.map((target) => this.#copy(destination, target, outgoing, body));
    const signal = AbortSignal.any([gone, this.#cut.signal]);
    let attempt: Attempt | undefined;
    for (let n = 1; ; n++) {
      attempt = await this.#send(destination.main, outgoing, body, body.length, signal);
      const retry = attempt.kind === 'transport' || classifyStatus(attempt.status) === 'retry';
      if (!retry || n >= this.#maxAttempts || signal.aborted) break;
      this.#stats.retries++;
      const waitMs = this.#backoff.durationMs(n);
      this.#log.debug({ route: destination.route.name, attempt: n, status: attempt.kind === 'answered' ? attempt.status : undefined, waitMs: Math.round(waitMs) }, 'debugger proxy: upload failed, retrying');
      try {
        await sleep(waitMs, undefined, { signal });
      } catch {
        break;
      }
    }
    await Promise.all(copies);
    this.#finish(res, destination, attempt, body.length, gone);
  }

  async #forwardStreamed(req: IncomingMessage, res: ServerResponse, destination: DebuggerDestination, stream: BodyStream, gone: AbortSignal): Promise<void> {
    const outgoing = outgoingRequest(destination, this.#destinations.hostTags, req.headers, req.url ?? '/');
    for (const target of destination.additional) this.#stats.dropped.drop('additional_not_buffered', 1, { route: destination.route.name, url: target.url.origin });
    const declared = Number(req.headers['content-length']);
    const attempt = await this.#send(destination.main, outgoing, stream, Number.isFinite(declared) ? declared : undefined, AbortSignal.any([gone, this.#cut.signal]));
    if (stream.tooLarge) {
      this.#stats.refused.drop('body_too_large', 1, { route: destination.route.name, bytes: stream.bytes, maxBodyBytes: this.#limits.maxBodyBytes });
      answer(res, 413, `request body over ${this.#limits.maxBodyBytes} bytes`, { Connection: 'close' });
      return;
    }
    this.#finish(res, destination, attempt, stream.bytes, gone);
  }

  /** Answers the tracer with the main intake's answer, and counts the upload. */
  #finish(res: ServerResponse, destination: DebuggerDestination, attempt: Attempt | undefined, bytes: number, gone: AbortSignal): void {
    const route = destination.route.name;
    const url = destination.main.url.origin + destination.main.url.pathname;
    if (gone.aborted) {
      this.#stats.dropped.drop('client_gone', 1, { route, url });
      return;
    }
    if (this.#cut.signal.aborted) {
      this.#stats.dropped.drop('cut_on_stop', 1, { route, url });
      answer(res, 503, 'debugger proxy: the agent stopped before the upload was delivered', { Connection: 'close' });
      return;
    }
    if (attempt === undefined || attempt.kind === 'transport') {
      const why = attempt?.error ?? 'not sent';
      this.#stats.failed.drop('unreachable', 1, { route, url, error: why });
      answer(res, 502, `debugger proxy: ${url} could not be reached: ${why}`);
      return;
    }
    if (attempt.status < 400) this.#stats.forwarded(route, bytes);
    else this.#stats.failed.drop(`http_${attempt.status}`, 1, { route, url, status: attempt.status, body: attempt.body.toString('utf8', 0, 200) });
    const headers: Record<string, string> = {};
    if (attempt.contentType !== undefined) headers['Content-Type'] = attempt.contentType;
    sendAnswer(res, attempt.status, headers, attempt.body);
  }

  /** A copy for an additional endpoint: sent once, its answer only counted. */
  async #copy(destination: DebuggerDestination, target: DebuggerTarget, outgoing: OutgoingRequest, body: Buffer): Promise<void> {
    const attempt = await this.#send(target, outgoing, body, body.length, this.#cut.signal);
    if (attempt.kind === 'answered' && attempt.status < 400) {
      this.#stats.additionalForwarded++;
      return;
    }
    const reason = attempt.kind === 'transport' ? 'additional_unreachable' : `additional_http_${attempt.status}`;
    this.#stats.failed.drop(reason, 1, { route: destination.route.name, url: target.url.origin + target.url.pathname, ...(attempt.kind === 'transport' ? { error: attempt.error } : {}) });
  }

  async #send(target: DebuggerTarget, outgoing: OutgoingRequest, body: Buffer | BodyStream, length: number | undefined, signal: AbortSignal): Promise<Attempt> {
    this.#client ??= createHttpClient(this.#http, { timeoutMs: this.#timeoutMs });
    return sendOnce(this.#client, {
      url: target.url,
      search: outgoing.search,
      headers: headersFor(outgoing, target, length),
      body,
      timeoutMs: this.#timeoutMs,
      signal,
    });
  }

}

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  sendAnswer(res, status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, Buffer.from(`${text}\n`, 'utf8'));
}

function sendAnswer(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  res.end(body);
}
