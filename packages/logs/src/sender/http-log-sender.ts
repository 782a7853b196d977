import { gzip, gzipSync, type ZlibOptions } from 'node:zlib';
import { commonKeys, resolveHostname } from '@agentkit/config';
import { CONFIG, DropCounter, LOGGER, compressOneShot, inject, injectable, settleWithin } from '@agentkit/core';
import type { ConfigReader, Logger, OneShotCodec, TelemetrySnapshot, TelemetrySource } from '@agentkit/core';
import {
  AGENTKIT_VERSION,
  classifyStatus,
  DEFAULT_RETRY_INTERVAL_MS,
  DestinationWorker,
  ExpBackoffPolicy,
  ForwarderStats,
  createNodeHttpTransport,
  readForwarderSettings,
  readHttpClientSettings,
  systemClock,
  USER_AGENT,
  type ForwarderSettings,
  type HttpTransport,
} from '@agentkit/forwarder';
import { DEFAULT_LOGS_CONCURRENT_SENDS, logsKeys } from '../config-keys.js';
import { encodeEntry, LogBatch, type EntryFields } from './log-batch.js';
import { LOGS_CONTEXT, type LogEntry, type LogSender, type LogsContext } from './log-sender.def.js';
import { resolveLogsDestination } from './logs-destination.js';

const gzipCodec: OneShotCodec<ZlibOptions> = { sync: gzipSync, async: gzip };

/**
 * Batches gzipped on the thread pool at once (small ones are gzipped on the main thread anyway:
 * `compressOneShot`). A program writing faster than that makes the next
 * batch gzip on the main thread instead: reading its pipe waits meanwhile, so the program is
 * held back by its pipe (as on a slow terminal) rather than batches piling up in memory.
 */
const MAX_CONCURRENT_COMPRESSIONS = 4;

/** Counts the logs inside every payload the forwarder's worker drops, beside its payload counts. */
class PayloadDrops extends DropCounter {
  public lines = 0;
  public override drop(reason: string, count = 1, detail?: Record<string, unknown>): void {
    super.drop(reason, count, detail);
    this.lines += typeof detail?.['items'] === 'number' ? detail['items'] : count;
  }
}

type State = 'running' | 'stopping' | 'stopped';

/**
 * The LogSender over the forwarder's own parts: logs are encoded as the intake takes them,
 * batched (1,000 logs or 5 MB, or `logs_config.batch_wait`), gzipped off the main thread, and
 * handed to one {@link DestinationWorker} — the forwarder's queues, retries, backoff, circuit
 * breaker and stop drain — over the one HTTP client (node:http / node:https) with the proxy and
 * TLS settings, made with the first payload, never at start.
 *
 * What it holds is bounded as the Agent's logs pipeline bounds it: at most
 * `logs_config.batch_max_concurrent_send` payloads in flight and `logs_config.payload_channel_size`
 * being compressed or waiting. While that is full, {@link whenReady} tells the source to stop
 * reading the program (backpressure); what still comes (the source waits 2 s at most) goes to
 * the worker's byte-bounded retry queue, which counts what it drops.
 */
@injectable()
export class HttpLogSender implements LogSender, TelemetrySource {
  readonly #log: Logger;
  readonly #fields: EntryFields;
  readonly #settings: ForwarderSettings;
  readonly #worker: DestinationWorker;
  readonly #drops: DropCounter;
  readonly #payloadDrops: PayloadDrops;
  readonly #batchWaitMs: number;
  readonly #compression: { readonly use: boolean; readonly level: number };
  readonly #linesByBody = new WeakMap<Buffer, number>();
  readonly #compressing = new Set<Promise<void>>();
  #batch = new LogBatch();
  #timer: NodeJS.Timeout | undefined;
  #transport: Promise<HttpTransport> | undefined;
  #state: State = 'running';
  #received = 0;
  #sent = 0;
  #cut = 0;
  #inBatchesBeingCompressed = 0;
  /** Payloads being compressed or waiting for a send: the bound of `logs_config.payload_channel_size`. */
  readonly #payloadRoom: number;
  /** Resolved (and replaced) when the payloads held fall below the bound again. */
  #room: { promise: Promise<void>; resolve: () => void } | undefined;
  #retryTimer: NodeJS.Timeout | undefined;

  public constructor(@inject(CONFIG) config: ConfigReader, @inject(LOGGER) logger: Logger, @inject(LOGS_CONTEXT) context: LogsContext) {
    this.#log = logger.child({ component: 'LogSender' });
    this.#drops = new DropCounter(this.#log);
    this.#payloadDrops = new PayloadDrops(this.#log);
    const source = config.get(logsKeys.source).trim().toLowerCase();
    this.#fields = {
      hostname: resolveHostname(config),
      service: config.get(commonKeys.service).trim().toLowerCase(),
      ddsource: source === '' ? context.defaultSource : source,
      ddtags: context.tags.join(','),
    };
    this.#batchWaitMs = config.get(logsKeys.batchWait) * 1000;
    this.#compression = { use: config.get(logsKeys.useCompression), level: config.get(logsKeys.compressionLevel) };
    const forwarder = readForwarderSettings(config);
    const concurrent = config.get(logsKeys.batchMaxConcurrentSend);
    this.#payloadRoom = config.get(logsKeys.payloadChannelSize);
    // The forwarder's machinery, with the logs pipeline's own bounds (its keys, not the metrics').
    const s: ForwarderSettings = { ...forwarder, maxConcurrentRequests: concurrent === 0 ? DEFAULT_LOGS_CONCURRENT_SENDS : concurrent, highPrioBufferSize: this.#payloadRoom };
    this.#settings = s;
    const http = readHttpClientSettings(config);
    const destination = resolveLogsDestination(config, context.intakeUrl);
    this.#worker = new DestinationWorker(destination, {
      settings: s,
      clock: systemClock,
      log: this.#log,
      drops: this.#payloadDrops,
      stats: new ForwarderStats(),
      policy: new ExpBackoffPolicy({ baseMs: s.backoffBaseMs, maxMs: s.backoffMaxMs, factor: s.backoffFactor, recoveryInterval: s.recoveryInterval, recoveryReset: s.recoveryReset }),
      transport: () => (this.#transport ??= this.#loadTransport(s.timeoutMs, http)),
      agentHeaders: { 'DD-Agent-Version': AGENTKIT_VERSION, 'User-Agent': USER_AGENT },
    });
    this.#log.debug({ url: destination.label, ...this.#fields }, 'logs go to the logs intake');
  }

  public send(entry: LogEntry): void {
    if (this.#state === 'stopped') {
      this.#drops.drop('submitted_after_stop', 1, { stream: entry.stream });
      return;
    }
    this.#received++;
    const encoded = encodeEntry(entry, this.#fields);
    if (encoded.cut) this.#cut++;
    if (!this.#batch.fits(encoded)) this.#flush();
    this.#batch.add(encoded);
    // While stopping no timer runs: a log handed over now (the processor stops before this
    // sender, so only by a custom composition) goes out at once, for the drain to wait on.
    if (this.#batch.full || this.#state === 'stopping') this.#flush();
    else if (this.#timer === undefined && this.#state === 'running') {
      this.#timer = setTimeout(() => this.#flush(), this.#batchWaitMs);
      this.#timer.unref();
    }
  }

  /**
   * Undefined while the payloads held (compressing, waiting) are below
   * `logs_config.payload_channel_size`; else resolves once one has gone out (or the sender stops).
   */
  public whenReady(): Promise<void> | undefined {
    if (this.#state !== 'running' || this.#heldPayloads() < this.#payloadRoom) return undefined;
    if (this.#room === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#room = { promise, resolve };
    }
    return this.#room.promise;
  }

  #heldPayloads(): number {
    return this.#compressing.size + this.#worker.queuedHigh;
  }

  /** After anything that may have freed a place: wakes whoever waits for room. */
  #checkRoom(): void {
    if (this.#room === undefined) return;
    if (this.#state === 'running' && this.#heldPayloads() >= this.#payloadRoom) return;
    const { resolve } = this.#room;
    this.#room = undefined;
    resolve();
  }

  /**
   * Sends the open batch and everything queued (the retry queue once more), waits for requests
   * in flight, until `signal` aborts (the sender's share of the stop budget); then counts what
   * is left unsent, in logs, by reason.
   */
  public async onStop(signal: AbortSignal): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'stopping';
    clearTimeout(this.#retryTimer);
    this.#checkRoom();
    this.#flush();
    const drained = await settleWithin(
      (async () => {
        while (this.#compressing.size > 0) await Promise.all(this.#compressing);
        this.#worker.startDrain(this.#settings.stopWaitForInflight);
        await this.#worker.whenIdle();
      })(),
      signal,
    );
    this.#state = 'stopped';
    if (!drained.settled && this.#inBatchesBeingCompressed > 0) this.#drops.drop('stop_timeout_compressing', this.#inBatchesBeingCompressed);
    this.#worker.expire();
    this.#drops.flushLog();
    this.#payloadDrops.flushLog();
    const summary = { drained: drained.settled, received: this.#received, sent: this.#sent, dropped: this.#dropped() };
    if (summary.dropped === 0 && drained.settled) this.#log.info(summary, 'log sender stopped: every log was sent');
    else this.#log.warn(summary, `log sender stopped: ${summary.dropped} log(s) not sent (counted by reason in its telemetry)`);
    if (this.#transport !== undefined) await (await this.#transport.catch(() => undefined))?.close();
  }

  public telemetry(): TelemetrySnapshot {
    const dropped = this.#dropped();
    return {
      'logs.received': this.#received,
      'logs.sent': this.#sent,
      'logs.dropped': dropped,
      'logs.cut': this.#cut,
      // Taken but neither sent nor dropped yet: what a stop cut short would lose.
      queued_logs: this.#received - this.#sent - dropped,
      'queue.high': this.#worker.queuedHigh,
      'queue.retry': this.#worker.queuedRetry,
      'queue.retry_bytes': this.#worker.retryBytes,
      inflight: this.#worker.inFlight,
      ...this.#drops.snapshot(),
      ...this.#payloadDrops.snapshot('dropped_payloads'),
    };
  }

  #dropped(): number {
    return this.#drops.count() + this.#payloadDrops.lines;
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#batch.length === 0) return;
    const { body, entries } = this.#batch.take();
    this.#batch = new LogBatch();
    this.#inBatchesBeingCompressed += entries;
    const done = this.#compress(body)
      .then((compressed) => {
        this.#inBatchesBeingCompressed -= entries;
        if (this.#state === 'stopped') {
          this.#drops.drop('stop_timeout_compressing', entries);
          return;
        }
        this.#linesByBody.set(compressed, entries);
        const headers: Record<string, string> = { 'Content-Type': 'application/json', 'DD-PROTOCOL': 'agent-json', 'DD-EVP-ORIGIN': 'agentkit', 'DD-EVP-ORIGIN-VERSION': AGENTKIT_VERSION };
        if (this.#compression.use) headers['Content-Encoding'] = 'gzip';
        this.#worker.enqueue({ endpoint: 'logs', body: compressed, headers, itemCount: entries });
        // No room in the queue: the worker kept it for retry (byte-bounded, drops counted).
        if (this.#worker.queuedRetry > 0) this.#scheduleRetryTick();
      })
      .catch((error: unknown) => {
        this.#inBatchesBeingCompressed -= entries;
        this.#drops.drop('compression_failed', entries, { error: (error as Error).message });
      })
      .finally(() => {
        this.#compressing.delete(done);
        this.#checkRoom();
      });
    this.#compressing.add(done);
  }

  /**
   * The forwarder's retry tick, for this sender's one worker: payloads that failed, or found
   * the queue full, are sent again once their endpoint may be tried. Runs while any wait.
   */
  #scheduleRetryTick(): void {
    if (this.#retryTimer !== undefined || this.#state !== 'running') return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state !== 'running') return;
      this.#worker.retryTick();
      if (this.#worker.queuedRetry > 0) this.#scheduleRetryTick();
    }, DEFAULT_RETRY_INTERVAL_MS);
    this.#retryTimer.unref();
  }

  async #compress(body: Buffer): Promise<Buffer> {
    if (!this.#compression.use) return body;
    const options = { level: this.#compression.level };
    return this.#compressing.size >= MAX_CONCURRENT_COMPRESSIONS ? gzipSync(body, options) : compressOneShot(gzipCodec, body, options);
  }

  /** The HTTP client's transport, watched: a payload the intake took counts its logs as sent. */
  #loadTransport(timeoutMs: number, http: ReturnType<typeof readHttpClientSettings>): Promise<HttpTransport> {
    const transport = createNodeHttpTransport({ timeoutMs, http });
    return Promise.resolve({
      send: async (request) => {
        const outcome = await transport.send(request);
        // The worker takes the next payload when this answer settles: then there may be room.
        setImmediate(() => {
          this.#checkRoom();
          if (this.#worker.queuedRetry > 0) this.#scheduleRetryTick();
        });
        if (outcome.kind === 'response' && classifyStatus(outcome.status) === 'success' && request.body !== undefined) {
          // Once per body: a retry of a payload the intake had taken is not a second send.
          this.#sent += this.#linesByBody.get(request.body) ?? 0;
          this.#linesByBody.delete(request.body);
        }
        return outcome;
      },
      close: () => transport.close(),
    });
  }
}
