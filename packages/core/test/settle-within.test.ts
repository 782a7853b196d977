import { describe, expect, it } from '@jest/globals';
import { settleWithin } from '../src/index.js';

describe('settleWithin', () => {
  it('resolves to the value when the promise settles before the signal aborts', async () => {
    expect(await settleWithin(Promise.resolve(7), new AbortController().signal)).toEqual({ settled: true, value: 7 });
  });

  it("resolves to the signal's reason when it aborts first, and leaves the promise to run", async () => {
    const controller = new AbortController();
    let resolveLate: (value: number) => void = () => {};
    const late = new Promise<number>((resolve) => (resolveLate = resolve));
    const waiting = settleWithin(late, controller.signal);
    controller.abort('time is up');
    expect(await waiting).toEqual({ settled: false, reason: 'time is up' });
    resolveLate(1);
    expect(await late).toBe(1);
  });

  it('gives up at once on a signal that already aborted, even for a promise already fulfilled', async () => {
    expect(await settleWithin(Promise.resolve(1), AbortSignal.abort('gone'))).toEqual({ settled: false, reason: 'gone' });
  });

  it('rejects with the promise\'s error when it rejects first', async () => {
    await expect(settleWithin(Promise.reject(new Error('boom')), new AbortController().signal)).rejects.toThrow('boom');
  });

  it('ignores a rejection that comes after the signal aborted (no unhandled rejection)', async () => {
    const controller = new AbortController();
    let rejectLate: (error: Error) => void = () => {};
    const late = new Promise<never>((_resolve, reject) => (rejectLate = reject));
    const waiting = settleWithin(late, controller.signal);
    controller.abort();
    expect((await waiting).settled).toBe(false);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    rejectLate(new Error('late'));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
