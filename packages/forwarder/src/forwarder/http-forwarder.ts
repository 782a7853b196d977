import { CONFIG, DropCounter, LOGGER, inject, injectable, settleWithin, monotonicNowMs } from '@agentkit/core';
import type { ConfigReader, Logger, TelemetrySnapshot, TelemetrySource } from '@agentkit/core';
import { validateApiKey, type ApiKeyVerdict } from '../api-key/api-key-validator.js';
import { FORWARDER_CLOCK, type Clock, type ClockTimer } from '../clock/clock.def.js';
import { resolveDestinations } from '../endpoints/resolve-destinations.js';
import { ForwarderError, ForwarderErrorCode } from '../errors.js';
import { proxyLabel, readHttpClientSettings, type HttpClientSettings } from '../http-client/http-client-settings.js';
import { proxyFor } from '../http-client/proxy-route.js';
import { buildTlsRootStore, usesTls } from '../http-client/tls-warmup.js';
import { ExpBackoffPolicy } from '../retry/backoff-policy.js';
import type { HttpTransport } from '../transport/transport.def.js';
import { createNodeHttpTransport } from '../transport/node-http-transport.js';
import { AGENTKIT_VERSION, USER_AGENT } from '../version.js';
import { DestinationWorker, type WorkerContext } from './destination-worker.js';
import type { Forwarder, Payload } from './forwarder.def.js';
import { readForwarderSettings, type ForwarderSettings } from './forwarder-settings.js';
import { ForwarderStats } from './forwarder-stats.js';

/** The Agent's `retryInterval`: how often retry queues are looked at. */
export const DEFAULT_RETRY_INTERVAL_MS = 5000;
/**
 * How long after its start the forwarder first checks its API keys (`GET /api/v1/validate`),
 * unless `prepare` asks sooner (`agentkit exec`, once the program runs). Never from a forwarder
 * that is stopping by then (serverless-init's forwarder checks no key at all): for a task that is
 * over in milliseconds the check would be one more connection (DNS and TLS for api.<site>,
 * another host than the payloads') beside its last send, on the wrapper's way to its exit. A
 * payload the intake refuses for its key (403) is counted and logged either way.
 */
export const DEFAULT_API_KEY_CHECK_DELAY_MS = 250;

type State = 'created' | 'running' | 'stopping' | 'stopped';

/**
 * The Forwarder on node:http / node:https: one {@link DestinationWorker} per destination (URL × API key), a
 * single retry tick on the injected clock for all of them, API key validation in the
 * background, and a stop that sends everything it holds within `forwarder_stop_timeout`.
 */
@injectable()
export class HttpForwarder implements Forwarder, TelemetrySource {
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #settings: ForwarderSettings;
  readonly #http: HttpClientSettings;
  readonly #drops: DropCounter;
  readonly #stats = new ForwarderStats();
  readonly #workers: readonly DestinationWorker[];
  readonly #keyVerdicts = new Map<DestinationWorker, ApiKeyVerdict>();
  readonly #stopAbort = new AbortController();
  #state: State = 'created';
  #transport: Promise<HttpTransport> | undefined;
  #keyCheckTimer: NodeJS.Timeout | undefined;
  #firstKeyCheck = false;
  #prepared = false;
  #retryTimer: ClockTimer | undefined;
  #validationTimer: ClockTimer | undefined;

  public constructor(@inject(CONFIG) config: ConfigReader, @inject(LOGGER) logger: Logger, @inject(FORWARDER_CLOCK) clock: Clock) {
    this.#log = logger.child({ component: 'Forwarder' });
    this.#clock = clock;
    this.#settings = readForwarderSettings(config);
    this.#http = readHttpClientSettings(config);
    this.#drops = new DropCounter(this.#log);
    const { destinations, skipped } = resolveDestinations(config, AGENTKIT_VERSION);
    for (const why of skipped) this.#log.warn(why);
    const s = this.#settings;
    const ctx: WorkerContext = {
      settings: s,
      clock,
      log: this.#log,
      drops: this.#drops,
      stats: this.#stats,
      policy: new ExpBackoffPolicy({
        baseMs: s.backoffBaseMs,
        maxMs: s.backoffMaxMs,
        factor: s.backoffFactor,
        recoveryInterval: s.recoveryInterval,
        recoveryReset: s.recoveryReset,
      }),
      transport: () => this.#loadTransport(),
      agentHeaders: { 'DD-Agent-Version': AGENTKIT_VERSION, 'User-Agent': USER_AGENT },
    };
    this.#workers = destinations.map((d) => new DestinationWorker(d, ctx));
  }

  public submit(payload: Payload): void {
    if (this.#state === 'stopped') {
      this.#drops.drop('submitted_after_stop', this.#workers.length, { endpoint: payload.endpoint, items: payload.itemCount });
      return;
    }
    this.#stats.submitted++;
    for (const worker of this.#workers) worker.enqueue(payload);
  }

  /** Returns at once: the HTTP client is made on the next turn of the event loop and API keys are checked in the background, once started (see {@link DEFAULT_API_KEY_CHECK_DELAY_MS}). */
  public onStart(): void {
    if (this.#state !== 'created') return;
    this.#state = 'running';
    this.#scheduleRetryTick();
    // Made now, not at the first send: under exec it is then ready while the program runs,
    // not made in the drain.
    void this.#loadTransport().catch(() => undefined);
    // Real time, not the injected clock: the clock drives retries and backoff, not this.
    this.#keyCheckTimer = setTimeout(() => this.#checkKeysOnce(), DEFAULT_API_KEY_CHECK_DELAY_MS);
    this.#keyCheckTimer.unref();
    for (const worker of this.#workers) {
      const d = worker.destination;
      if (d.apiKey === '' && d.isDatadog) {
        this.#log.warn({ url: d.label }, 'api_key is empty: the Datadog intake will reject every payload (403); set api_key (DD_API_KEY)');
      }
    }
    this.#log.info(
      { destinations: this.#workers.map((w) => ({ url: w.destination.label, keyIndex: w.destination.keyIndex, ...this.#routeOf(w) })) },
      'forwarder started',
    );
  }

  /**
   * See {@link Forwarder.prepare}. Once the HTTP client is made (it is since the start): TLS's
   * root certificates when a destination needs them, then the first API key check, now rather
   * than at its delay. That check is what readies the request path (node:http, node:https and
   * their first request's code) while the program runs, and a kept-alive connection for
   * payloads when the intake takes them on the same host (`dd_url` of a proxy or the local intake).
   */
  public prepare(): void {
    if (this.#state !== 'running' || this.#prepared) return;
    this.#prepared = true;
    const tls = this.#workers.some((w) => usesTls(w.destination.origin, this.#http));
    // Before any send waiting for the same load: its callbacks run in the order they were added.
    void this.#loadTransport()
      .then(() => {
        if (this.#state !== 'running') return;
        if (tls) {
          const builtMs = buildTlsRootStore(this.#http);
          this.#log.debug({ builtMs: Math.round(builtMs * 10) / 10 }, 'TLS root certificates ready for the first send');
        }
        this.#checkKeysOnce();
      })
      .catch(() => undefined);
  }

  /**
   * Sends everything queued (retry queues once more) and waits for requests in flight until
   * `signal` aborts: the App aborts it at the forwarder's share of the stop budget, which is
   * `forwarder_stop_timeout` unless the budget has less left. Then counts what is left unsent.
   * Its connections are closed on the next turn of the event loop, without delaying its return.
   */
  public async onStop(signal: AbortSignal): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    this.#state = 'stopping';
    const startedMs = monotonicNowMs();
    this.#cancelTimers();
    for (const worker of this.#workers) worker.startDrain(this.#settings.stopWaitForInflight);
    const { settled: drained } = await settleWithin(Promise.all(this.#workers.map((w) => w.whenIdle())), signal);
    for (const worker of this.#workers) worker.expire();
    this.#state = 'stopped';
    this.#stopAbort.abort();
    this.#drops.flushLog();
    const unsent = this.#drops.snapshot();
    const summary = { drained, elapsedMs: Math.round(monotonicNowMs() - startedMs), sent: this.#stats.sent, ...unsent };
    const dropped = this.#drops.count();
    if (drained && dropped === 0) this.#log.info(summary, 'forwarder stopped: everything queued was sent');
    else if (drained) this.#log.warn(summary, `forwarder stopped: the queue is empty, but ${dropped} payload(s) were dropped during the run (counted by reason)`);
    else {
      this.#log.warn(
        summary,
        `forwarder stopped: its time ran out (forwarder_stop_timeout, ${this.#settings.stopTimeoutMs} ms, or what the stop budget had left); unsent payloads are counted by reason`,
      );
    }
    // Released on the next turn of the event loop, not awaited: nothing is sent any more, and
    // under `agentkit exec` the process exits before it (its exit closes the sockets): the HTTP
    // client's teardown (undici's, when it was measured) was 1.5–3 ms of CPU on the wrapper's way to its exit (docs/benchmarks.md,
    // "Issue 17 §1, exec's path to the spawn and from the program's exit to its own").
    setImmediate(() => void this.#closeTransport());
  }

  public telemetry(): TelemetrySnapshot {
    let high = 0;
    let low = 0;
    let retry = 0;
    let retryBytes = 0;
    let queuedBytes = 0;
    let inFlight = 0;
    for (const w of this.#workers) {
      high += w.queuedHigh;
      low += w.queuedLow;
      retry += w.queuedRetry;
      retryBytes += w.retryBytes;
      queuedBytes += w.queuedBytes;
      inFlight += w.inFlight;
    }
    let invalidKeys = 0;
    for (const verdict of this.#keyVerdicts.values()) if (verdict === 'invalid') invalidKeys++;
    const s = this.#stats;
    const out: Record<string, number> = {
      payloads_submitted: s.submitted,
      'transactions.sent': s.sent,
      'transactions.failed': s.failed,
      'transactions.retried': s.retried,
      'transactions.requeued': s.requeued,
      'bytes.sent': s.bytesSent,
      'queue.high': high,
      'queue.low': low,
      'queue.retry': retry,
      'queue.retry_bytes': retryBytes,
      // Every body held, retry queue included: what the forwarder's queues cost in memory.
      'queue.bytes': queuedBytes + retryBytes,
      inflight: inFlight,
      destinations: this.#workers.length,
      'api_keys.invalid': invalidKeys,
      ...this.#drops.snapshot(),
    };
    // Endpoints that never sent or failed are left out, as the serializer's `payloads.<endpoint>`.
    for (const [endpoint, n] of Object.entries(s.sentByEndpoint)) if (n > 0) out[`payloads_sent.${endpoint}`] = n;
    for (const [endpoint, n] of Object.entries(s.failedByEndpoint)) if (n > 0) out[`payloads_failed.${endpoint}`] = n;
    return out;
  }

  #loadTransport(): Promise<HttpTransport> {
    this.#transport ??= (async () => {
      // A turn of the event loop first: the start returns before the client is made.
      await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        const transport = createNodeHttpTransport({ timeoutMs: this.#settings.timeoutMs, http: this.#http });
        this.#log.debug('HTTP client ready (node:http)');
        return transport;
      } catch (error) {
        this.#log.error({ err: error }, 'cannot make the HTTP client: nothing can be sent');
        throw new ForwarderError(ForwarderErrorCode.TransportUnavailable, 'the HTTP client could not be made (node:http); nothing can be sent', { cause: error });
      }
    })();
    return this.#transport;
  }

  /** `{ proxy }` for the start line when the destination goes through one (password starred). */
  #routeOf(worker: DestinationWorker): { proxy?: string } {
    const proxy = proxyFor(new URL(worker.destination.origin), this.#http);
    return proxy === undefined ? {} : { proxy: proxyLabel(proxy) };
  }

  async #closeTransport(): Promise<void> {
    if (this.#transport === undefined) return;
    try {
      await (await this.#transport).close();
    } catch {
      // Not loaded (already logged) or already closed: nothing left to release.
    }
  }

  #scheduleRetryTick(): void {
    this.#retryTimer = this.#clock.setTimer(() => {
      if (this.#state !== 'running') return;
      for (const worker of this.#workers) worker.retryTick();
      this.#scheduleRetryTick();
    }, DEFAULT_RETRY_INTERVAL_MS);
  }

  /** The first key check, once: at its delay or when `prepare` asks, whichever comes first. */
  #checkKeysOnce(): void {
    if (this.#firstKeyCheck) return;
    this.#firstKeyCheck = true;
    clearTimeout(this.#keyCheckTimer);
    void this.#validateKeys();
  }

  async #validateKeys(): Promise<void> {
    let transport: HttpTransport;
    try {
      transport = await this.#loadTransport();
    } catch {
      return;
    }
    // Stopping already: the last sends need the connections, and their answers say what a check would.
    if (this.#state !== 'running') return;
    await Promise.all(
      this.#workers
        .filter((w) => w.destination.apiKey !== '')
        .map(async (w) => {
          const verdict = await validateApiKey(transport, w.destination, { 'User-Agent': USER_AGENT }, this.#stopAbort.signal, this.#log);
          this.#keyVerdicts.set(w, verdict);
        }),
    );
    const intervalMs = this.#settings.apiKeyValidationIntervalMs;
    if (intervalMs > 0 && this.#state === 'running') {
      this.#validationTimer = this.#clock.setTimer(() => void this.#validateKeys(), intervalMs);
    }
  }

  #cancelTimers(): void {
    clearTimeout(this.#keyCheckTimer);
    this.#retryTimer?.cancel();
    this.#validationTimer?.cancel();
  }
}
