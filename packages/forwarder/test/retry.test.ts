import { describe, expect, it } from '@jest/globals';
import { ExpBackoffPolicy, FakeClock } from '@agentkit/forwarder';
import { CircuitBreaker } from '../src/retry/circuit-breaker.js';
import { RetryQueue } from '../src/retry/retry-queue.js';
import { newTransaction, type Transaction } from '../src/forwarder/transaction.js';
import { testPayload } from './helpers.js';

const policy = (random = (): number => 0.5): ExpBackoffPolicy =>
  new ExpBackoffPolicy({ baseMs: 2000, maxMs: 64_000, factor: 2, recoveryInterval: 2, recoveryReset: false, random });

const tx = (bytes: number, createdAtMs: number): Transaction => newTransaction(testPayload({ body: Buffer.alloc(bytes) }), createdAtMs);

describe('ExpBackoffPolicy', () => {
  it('waits 0 without errors, then a jittered base × 2^n in [t / factor, t], then exactly max', () => {
    expect(policy().durationMs(0)).toBe(0);
    expect(policy(() => 0).durationMs(1)).toBe(2000);
    expect(policy(() => 0.999999).durationMs(1)).toBeCloseTo(4000, 0);
    expect(policy(() => 0).durationMs(5)).toBe(32_000);
    expect(policy(() => 0).durationMs(6)).toBe(64_000);
    expect(policy(() => 0.5).durationMs(9)).toBe(64_000);
  });

  it('caps errors at floor(log2(max / base)) + 1 and recovers by forwarder_recovery_interval', () => {
    const p = policy();
    expect(p.maxErrors).toBe(6);
    expect(p.incError(6)).toBe(6);
    expect(p.decError(5)).toBe(3);
    expect(p.decError(1)).toBe(0);
    const reset = new ExpBackoffPolicy({ baseMs: 2000, maxMs: 64_000, factor: 2, recoveryInterval: 2, recoveryReset: true });
    expect(reset.decError(5)).toBe(0);
  });
});

describe('CircuitBreaker', () => {
  it('blocks an endpoint after an error until its backoff has passed, then lets one probe through', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker(policy(() => 0), clock);
    breaker.recordError('series_v2');
    expect(breaker.tryAcquire('series_v2')).toBe(false);
    expect(breaker.tryAcquire('sketches_v2')).toBe(true);
    expect(breaker.retryBudget('series_v2')).toBe(0);
    clock.advance(2000);
    expect(breaker.retryBudget('series_v2')).toBe(1);
    expect(breaker.tryAcquire('series_v2')).toBe(true);
    expect(breaker.state('series_v2')).toBe('half-open');
    expect(breaker.tryAcquire('series_v2')).toBe(false);
    expect(breaker.recordSuccess('series_v2')).toBe(true);
    expect(breaker.tryAcquire('series_v2')).toBe(true);
  });

  it('waits longer after each consecutive error', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker(policy(() => 0), clock);
    breaker.recordError('intake');
    breaker.recordError('intake');
    clock.advance(3999);
    expect(breaker.tryAcquire('intake')).toBe(false);
    clock.advance(1);
    expect(breaker.tryAcquire('intake')).toBe(true);
    expect(breaker.errors('intake')).toBe(2);
  });
});

describe('RetryQueue', () => {
  it('drops the oldest transactions when a new one would pass the byte bound', () => {
    const queue = new RetryQueue(100);
    const a = tx(40, 1);
    const b = tx(40, 2);
    expect(queue.add(a)).toEqual([]);
    expect(queue.add(b)).toEqual([]);
    expect(queue.add(tx(40, 3))).toEqual([a]);
    expect(queue.bytes).toBe(80);
    expect(queue.length).toBe(2);
  });

  it('drops a retried old transaction itself rather than a newer one', () => {
    const queue = new RetryQueue(80);
    queue.add(tx(40, 5));
    queue.add(tx(40, 6));
    const old = tx(40, 1);
    expect(queue.add(old)).toEqual([old]);
  });

  it('refuses a transaction bigger than the whole bound', () => {
    const queue = new RetryQueue(10);
    const big = tx(11, 1);
    expect(queue.add(big)).toEqual([big]);
    expect(queue.length).toBe(0);
  });

  it('hands out the newest first, as many as asked and accepted', () => {
    const queue = new RetryQueue(1000);
    const txs = [1, 2, 3, 4].map((t) => tx(10, t));
    for (const t of txs) queue.add(t);
    expect(queue.takeNewest(2, () => true)).toEqual([txs[3], txs[2]]);
    expect(queue.takeNewest(5, (t) => t !== txs[1])).toEqual([txs[0]]);
    expect(queue.popNewest()).toBe(txs[1]);
    expect(queue.bytes).toBe(0);
  });
});
