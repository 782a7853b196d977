import { RingBuffer, type DropCounter, type Logger } from '@agentkit/core';
import type { Clock } from '../clock/clock.def.js';
import type { Destination } from '../endpoints/resolve-destinations.js';
import type { ExpBackoffPolicy } from '../retry/backoff-policy.js';
import { CircuitBreaker } from '../retry/circuit-breaker.js';
import { RetryQueue } from '../retry/retry-queue.js';
import { classifyStatus } from '../transport/response-policy.js';
import type { HttpOutcome, HttpTransport } from '../transport/transport.def.js';
import { failureHint } from '../transport/node-http-transport.js';
import { ENDPOINT_PATHS, type Payload } from './forwarder.def.js';
import type { ForwarderSettings } from './forwarder-settings.js';
import type { ForwarderStats } from './forwarder-stats.js';
import { newTransaction, type Transaction } from './transaction.js';

/** What every worker shares with the forwarder that owns it. */
export interface WorkerContext {
  readonly settings: ForwarderSettings;
  readonly clock: Clock;
  readonly log: Logger;
  readonly drops: DropCounter;
  readonly stats: ForwarderStats;
  readonly policy: ExpBackoffPolicy;
  /** Resolves to the HTTP client, loading it on first call. */
  readonly transport: () => Promise<HttpTransport>;
  /** Headers the forwarder adds to every request (DD-Agent-Version, User-Agent). */
  readonly agentHeaders: Readonly<Record<string, string>>;
}

/** Drop reasons for what the stop could not deliver. */
const STOP_TIMEOUT_QUEUED = 'stop_timeout_queued';
const STOP_TIMEOUT_INFLIGHT = 'stop_timeout_inflight';
const STOP_SEND_FAILED = 'stop_send_failed';
const INFLIGHT_ABORTED = 'inflight_aborted';
const FAILURE_LOG_INTERVAL_MS = 1000;

/**
 * Sends every payload to one destination (URL × API key): new transactions wait in a high-
 * priority ring buffer, retries in a low-priority one, failures in a byte-bounded retry
 * queue; up to `forwarder_max_concurrent_requests` are in flight, and a per-endpoint circuit
 * breaker holds back an endpoint that fails. Event-driven: no loop, no timer of its own (the
 * forwarder's single retry tick calls `retryTick`). Nothing here blocks or throws.
 */
export class DestinationWorker {
  public readonly destination: Destination;
  readonly #ctx: WorkerContext;
  readonly #high: RingBuffer<Transaction>;
  readonly #low: RingBuffer<Transaction>;
  readonly #retry: RetryQueue;
  readonly #breaker: CircuitBreaker;
  readonly #ownHeaders: Readonly<Record<string, string>>;
  readonly #ownHeaderNames: ReadonlySet<string>;
  readonly #inFlight = new Set<Transaction>();
  #abort = new AbortController();
  #draining = false;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];
  #lastFailureLogMs = Number.NEGATIVE_INFINITY;

  public constructor(destination: Destination, ctx: WorkerContext) {
    this.destination = destination;
    this.#ctx = ctx;
    this.#high = new RingBuffer(ctx.settings.highPrioBufferSize);
    this.#low = new RingBuffer(ctx.settings.lowPrioBufferSize);
    this.#retry = new RetryQueue(ctx.settings.retryQueueMaxBytes);
    this.#breaker = new CircuitBreaker(ctx.policy, ctx.clock);
    const own: Record<string, string> = { ...ctx.agentHeaders };
    if (destination.apiKey !== '') own['DD-API-KEY'] = destination.apiKey;
    this.#ownHeaders = own;
    this.#ownHeaderNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  }

  public get queuedHigh(): number {
    return this.#high.length;
  }
  public get queuedLow(): number {
    return this.#low.length;
  }
  public get queuedRetry(): number {
    return this.#retry.length;
  }
  public get retryBytes(): number {
    return this.#retry.bytes;
  }
  /** Body bytes waiting in the high- and low-priority queues (the retry queue's are `retryBytes`). */
  public get queuedBytes(): number {
    let total = 0;
    for (const tx of this.#high) total += bodyBytes(tx);
    for (const tx of this.#low) total += bodyBytes(tx);
    return total;
  }
  public get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Queues a copy of `payload`; sends at once if a request slot is free. */
  public enqueue(payload: Payload): void {
    const tx = newTransaction(payload, this.#ctx.clock.now());
    if (this.#stopped) {
      this.#drop('submitted_after_stop', [tx]);
      return;
    }
    // As the Agent: a full high-priority queue sends new payloads to the retry queue.
    if (!this.#high.push(tx)) this.#requeue(tx);
    this.#pump();
  }

  /** Moves retries whose endpoint is not blocked to the low-priority queue, newest first. */
  public retryTick(): void {
    if (this.#draining || this.#stopped) return;
    const budgets = new Map<string, number>();
    const moved = this.#retry.takeNewest(this.#low.room, (tx) => {
      const endpoint = tx.payload.endpoint;
      const budget = budgets.get(endpoint) ?? this.#breaker.retryBudget(endpoint);
      budgets.set(endpoint, budget - 1);
      return budget > 0;
    });
    for (const tx of moved) this.#low.push(tx);
    this.#pump();
  }

  /**
   * Stop, step one: from now on everything queued is sent once, the retry queue included,
   * ignoring backoff. Without `waitForInflight`, requests in flight are aborted and counted.
   */
  public startDrain(waitForInflight: boolean): void {
    this.#draining = true;
    if (!waitForInflight) this.#abandonInFlight(INFLIGHT_ABORTED);
    this.#pump();
  }

  /** Resolves once nothing is queued or in flight. */
  public whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stop, step two (deadline): counts and forgets whatever is still unsent. Idempotent. */
  public expire(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const queued = [...this.#high.drain(), ...this.#low.drain(), ...this.#retry.drain()];
    if (queued.length > 0) this.#drop(STOP_TIMEOUT_QUEUED, queued);
    this.#abandonInFlight(STOP_TIMEOUT_INFLIGHT);
    this.#notifyIdle();
  }

  #pump(): void {
    const max = this.#ctx.settings.maxConcurrentRequests;
    while (!this.#stopped && this.#inFlight.size < max) {
      const tx = this.#high.shift() ?? this.#low.shift() ?? (this.#draining ? this.#retry.popNewest() : undefined);
      if (tx === undefined) break;
      if (!this.#draining && !this.#breaker.tryAcquire(tx.payload.endpoint)) {
        this.#requeue(tx);
        continue;
      }
      void this.#send(tx);
    }
    this.#notifyIdle();
  }

  async #send(tx: Transaction): Promise<void> {
    this.#inFlight.add(tx);
    if (this.#draining) tx.drainAttempted = true;
    if (tx.errorCount > 0) this.#ctx.stats.retried++;
    const signal = this.#abort.signal;
    const outcome = await this.#attempt(tx, signal);
    // Already counted when the stop gave up on it: its outcome no longer matters.
    if (!this.#inFlight.delete(tx)) return;
    this.#settle(tx, outcome);
    this.#pump();
  }

  async #attempt(tx: Transaction, signal: AbortSignal): Promise<HttpOutcome> {
    try {
      const transport = await this.#ctx.transport();
      return await transport.send({
        origin: this.destination.origin,
        path: this.destination.basePath + ENDPOINT_PATHS[tx.payload.endpoint],
        method: 'POST',
        headers: this.#headersFor(tx.payload),
        body: tx.payload.body,
        signal,
      });
    } catch (error) {
      const err = error as { code?: unknown; message?: unknown };
      return {
        kind: 'error',
        code: typeof err.code === 'string' ? err.code : 'ERROR',
        message: typeof err.message === 'string' ? err.message : String(error),
        aborted: signal.aborted,
      };
    }
  }

  #settle(tx: Transaction, outcome: HttpOutcome): void {
    const { stats } = this.#ctx;
    const endpoint = tx.payload.endpoint;
    if (outcome.kind === 'response') {
      const verdict = classifyStatus(outcome.status);
      if (verdict === 'success') {
        stats.sent++;
        stats.sentByEndpoint[endpoint]++;
        stats.bytesSent += tx.payload.body.length;
        // The endpoint just recovered: retry what waited for it now rather than at the next tick.
        if (this.#breaker.recordSuccess(endpoint)) this.retryTick();
        return;
      }
      if (verdict === 'rejected') {
        stats.failed++;
        stats.failedByEndpoint[endpoint]++;
        this.#breaker.recordSuccess(endpoint); // the intake is up; only this payload is bad
        this.#drop(`rejected_${outcome.status}`, [tx], { status: outcome.status, response: outcome.bodySnippet });
        return;
      }
    }
    stats.failed++;
    stats.failedByEndpoint[endpoint]++;
    tx.errorCount++;
    this.#breaker.recordError(endpoint);
    this.#logFailure(tx, outcome);
    if (this.#draining && tx.drainAttempted) this.#drop(STOP_SEND_FAILED, [tx], describeOutcome(outcome));
    else this.#requeue(tx);
  }

  #requeue(tx: Transaction): void {
    this.#ctx.stats.requeued++;
    const dropped = this.#retry.add(tx);
    if (dropped.length > 0) this.#drop('retry_queue_full', dropped, { retryQueueMaxBytes: this.#ctx.settings.retryQueueMaxBytes });
  }

  #abandonInFlight(reason: string): void {
    if (this.#inFlight.size > 0) {
      this.#drop(reason, [...this.#inFlight]);
      this.#inFlight.clear();
    }
    this.#abort.abort(reason);
    this.#abort = new AbortController();
  }

  #headersFor(payload: Payload): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(payload.headers)) {
      // Ours win whatever the payload's spelling: two User-Agent lines would be worse than none.
      if (!this.#ownHeaderNames.has(name.toLowerCase())) headers[name] = value;
    }
    return Object.assign(headers, this.#ownHeaders);
  }

  #drop(reason: string, txs: readonly Transaction[], detail: Record<string, unknown> = {}): void {
    const first = txs[0];
    if (first === undefined) return;
    let items = 0;
    for (const tx of txs) items += tx.payload.itemCount;
    this.#ctx.drops.drop(reason, txs.length, {
      url: this.destination.label,
      keyIndex: this.destination.keyIndex,
      endpoint: first.payload.endpoint,
      items,
      ...detail,
    });
  }

  #logFailure(tx: Transaction, outcome: HttpOutcome): void {
    const now = this.#ctx.clock.now();
    // The breaker already limits attempts per endpoint; this bounds the lines when many fail at once.
    if (now - this.#lastFailureLogMs < FAILURE_LOG_INTERVAL_MS) return;
    this.#lastFailureLogMs = now;
    this.#ctx.log.warn(
      {
        url: this.destination.label,
        keyIndex: this.destination.keyIndex,
        endpoint: tx.payload.endpoint,
        errors: tx.errorCount,
        retryQueue: this.#retry.length,
        ...describeOutcome(outcome),
      },
      'sending a payload failed; it will be retried',
    );
  }

  #isIdle(): boolean {
    return this.#high.length === 0 && this.#low.length === 0 && this.#inFlight.size === 0 && (this.#retry.length === 0 || !this.#draining);
  }

  #notifyIdle(): void {
    if (this.#idleWaiters.length === 0 || !this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function bodyBytes(tx: Transaction): number {
  return tx.payload.body.length;
}

function describeOutcome(outcome: HttpOutcome): Record<string, unknown> {
  return outcome.kind === 'response'
    ? { status: outcome.status, response: outcome.bodySnippet }
    : {
        error: outcome.code,
        message: outcome.message,
        ...(outcome.proxy === undefined ? {} : { proxy: outcome.proxy }),
        ...withHint(failureHint(outcome)),
      };
}

function withHint(hint: string | undefined): { hint?: string } {
  return hint === undefined ? {} : { hint };
}
