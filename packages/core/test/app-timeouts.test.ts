import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { bundle, createApp, provide, token, type HookError, type ProviderOptions, type StopError, type StopResult, type Token } from '../src/index.js';
import { LifecycleRecorder, RecordingLogger } from '../src/testing/index.js';
import { Journal, probe } from './helpers.js';

// Timing is asserted on jest's fake clock (setTimeout and performance.now): when a signal
// aborted, what a hook's share was. The one wall-clock assertion is the 1 s budget at the end.

afterEach(() => {
  jest.useRealTimers();
});

/** A marks list: `abort:B@80` says B's signal aborted 80 ms (fake clock) after the stop began. */
class Marks {
  public readonly entries: string[] = [];
  #origin = 0;
  public begin(): void {
    this.#origin = performance.now();
  }
  public mark(what: string): void {
    this.entries.push(`${what}@${Math.round(performance.now() - this.#origin)}`);
  }
}

type StopHook = (signal: AbortSignal) => unknown;

/** A component whose onStop is `onStop`, with telemetry `gauges` (read live). */
function component(name: string, deps: readonly Token<unknown>[], onStop: StopHook, options: ProviderOptions = {}, gauges?: () => Record<string, number>) {
  const tok = token<object>(name);
  const instance: Record<string, unknown> = { onStop };
  if (gauges !== undefined) instance['telemetry'] = gauges;
  return { token: tok, provider: provide(tok, { deps, useFactory: () => instance }, options) };
}

/** An onStop that never settles, marking when its signal aborts. */
const hanging =
  (marks: Marks, name: string): StopHook =>
  (signal) => {
    marks.mark(`stop:${name}`);
    signal.addEventListener('abort', () => marks.mark(`abort:${name}`));
    return new Promise(() => {});
  };

/** An onStop that settles at once, marking it. */
const quick =
  (marks: Marks, name: string): StopHook =>
  () =>
    marks.mark(`stop:${name}`);

/** Stops `app` on the fake clock, running its timers until the stop settles; resolves to its result or StopError. */
async function stopOnFakeClock(app: { stop(options?: { timeoutMs?: number }): Promise<StopResult> }, marks: Marks, timeoutMs?: number): Promise<StopResult | StopError> {
  jest.useFakeTimers();
  marks.begin();
  let outcome: StopResult | StopError | undefined;
  void app.stop(timeoutMs === undefined ? {} : { timeoutMs }).then(
    (result) => (outcome = result),
    (error: unknown) => (outcome = error as StopError),
  );
  for (let i = 0; i < 1000 && outcome === undefined; i++) await jest.advanceTimersByTimeAsync(10);
  if (outcome === undefined) throw new Error('the stop did not settle within 10 s of fake time');
  return outcome;
}

describe('App stop budget', () => {
  it('aborts a hook at its own stopTimeoutMs, gives up on it after the grace, and goes on stopping', async () => {
    const marks = new Marks();
    const a = component('A', [], quick(marks, 'A'));
    const b = component('B', [a.token], hanging(marks, 'B'), { stopTimeoutMs: 80 });
    const app = createApp([bundle('x', [a.provider, b.provider])], { stopTimeoutMs: 5000 });
    await app.start();
    const error = (await stopOnFakeClock(app, marks)) as StopError;
    // Told at 80 ms, given up on 100 ms later (the grace), then A stops.
    expect(marks.entries).toEqual(['stop:B@0', 'abort:B@80', 'stop:A@180']);
    const [timeout] = error.errors as HookError[];
    expect(timeout).toMatchObject({ code: 'ERR_CORE_HOOK_TIMEOUT', component: 'B', phase: 'stop' });
    expect(timeout?.message).toMatch(/^onStop of "B" timed out \(its stopTimeoutMs of 80 ms\) after \d+ ms$/);
    expect(error.result).toMatchObject({ unfinished: ['B'], cut: [], failed: [] });
    expect(error.result?.stages.map((s) => [s.component, s.outcome, s.shareMs, s.limitedBy])).toEqual([
      ['B', 'unfinished', 80, 'own'],
      ['A', 'done', 4720, 'budget'],
    ]);
  });

  it('takes a hook timeout from the config when given as a function of it', async () => {
    const marks = new Marks();
    const a = component('A', [], hanging(marks, 'A'), { stopTimeoutMs: (config) => Number(config.get('my_stop_timeout')) * 1000 });
    const app = createApp([bundle('x', [a.provider])], { config: { my_stop_timeout: 0.08 }, stopTimeoutMs: 5000 });
    await app.start();
    const error = (await stopOnFakeClock(app, marks)) as StopError;
    expect(marks.entries).toEqual(['stop:A@0', 'abort:A@80']);
    expect((error.errors as HookError[])[0]?.message).toMatch(/^onStop of "A" timed out \(its stopTimeoutMs of 80 ms\)/);
  });

  it('rejects a timeout function that returns no positive number, naming the component', async () => {
    const a = probe(new Journal(), 'A', [], {}, { stopTimeoutMs: () => -1 });
    await expect(createApp([bundle('x', [a.provider])]).start()).rejects.toThrow('A: stopTimeoutMs(config) returned -1');
  });

  it('counts a hook that settles once its signal aborted as cut short, not failed, with what it held before the abort', async () => {
    const marks = new Marks();
    let queued = 3;
    let dropped = 0;
    const f = component(
      'Forwarder',
      [],
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            marks.mark('abort:Forwarder');
            dropped += queued; // what a stage does when told: count what it drops, forget it
            queued = 0;
            resolve();
          }),
        ),
      { stopTimeoutMs: 300 },
      () => ({ queue_depth: queued, 'dropped.stop_timeout': dropped, sent: 7 }),
    );
    const app = createApp([bundle('x', [f.provider])], { stopTimeoutMs: 5000 });
    await app.start();
    const result = (await stopOnFakeClock(app, marks)) as StopResult;
    expect(marks.entries).toEqual(['abort:Forwarder@300']);
    expect(result).toMatchObject({ unfinished: [], cut: ['Forwarder'], failed: [], errors: [] });
    expect(result.stages).toEqual([
      expect.objectContaining({ component: 'Forwarder', outcome: 'cut', hasHook: true, shareMs: 300, limitedBy: 'own', pending: { queue_depth: 3 } }),
    ]);
    expect(dropped).toBe(3);
  });

  it('keeps the own limits of the hooks after a hook without one for them: a hang early does not eat their time', async () => {
    const marks = new Marks();
    const last = component('Forwarder', [], (signal) => {
      marks.mark('stop:Forwarder');
      signal.addEventListener('abort', () => marks.mark('abort:Forwarder'));
      return new Promise<void>((resolve) => setTimeout(resolve, 250));
    }, { stopTimeoutMs: 300 });
    const first = component('Listener', [last.token], hanging(marks, 'Listener'));
    const app = createApp([bundle('x', [last.provider, first.provider])], { stopTimeoutMs: 1000 });
    await app.start();
    const error = (await stopOnFakeClock(app, marks)) as StopError;
    // The listener's share is the 1000 ms less the forwarder's claim, 300 ms and its 100 ms
    // grace: told at 500, given up at 600; the forwarder then has its whole 300 ms.
    expect(marks.entries).toEqual(['stop:Listener@0', 'abort:Listener@500', 'stop:Forwarder@600']);
    expect(error.result?.unfinished).toEqual(['Listener']);
    expect(error.result?.stages.map((s) => [s.component, s.outcome, s.shareMs, s.limitedBy])).toEqual([
      ['Listener', 'unfinished', 500, 'budget'],
      ['Forwarder', 'done', 300, 'own'],
    ]);
  });

  it('never keeps more than half of what is left for the hooks after one', async () => {
    const marks = new Marks();
    const last = component('Forwarder', [], quick(marks, 'Forwarder'), { stopTimeoutMs: 30_000 });
    const first = component('Listener', [last.token], hanging(marks, 'Listener'));
    const app = createApp([bundle('x', [last.provider, first.provider])], { stopTimeoutMs: 1000 });
    await app.start();
    await stopOnFakeClock(app, marks);
    expect(marks.entries).toEqual(['stop:Listener@0', 'abort:Listener@400', 'stop:Forwarder@500']);
  });

  it("gives one stop the budget passed to stop({ timeoutMs }) instead of createApp's", async () => {
    const marks = new Marks();
    const a = component('A', [], hanging(marks, 'A'));
    const app = createApp([bundle('x', [a.provider])], { stopTimeoutMs: 60_000 });
    await app.start();
    const error = (await stopOnFakeClock(app, marks, 400)) as StopError;
    expect(marks.entries).toEqual(['stop:A@0', 'abort:A@300']);
    expect(error.result).toMatchObject({ budgetMs: 400, unfinished: ['A'] });
    expect((error.errors as HookError[])[0]?.message).toMatch(/^onStop of "A" timed out \(its share, 400 ms, of the app's stop budget of 400 ms\)/);
  });

  it("caps every start hook by what is left of the app's start budget", async () => {
    jest.useFakeTimers();
    const j = new Journal();
    const a = probe(j, 'A', [], { startMs: 60 }, { startTimeoutMs: 10_000 });
    const b = probe(j, 'B', [a.token], { startMs: 200 }, { startTimeoutMs: 10_000 });
    const app = createApp([bundle('x', [a.provider, b.provider])], { startTimeoutMs: 120 });
    const starting = app.start().then(
      () => undefined,
      (e: unknown) => e as HookError,
    );
    await jest.advanceTimersByTimeAsync(500);
    const error = (await starting) as HookError;
    expect(error).toMatchObject({ code: 'ERR_CORE_HOOK_TIMEOUT', component: 'B' });
    expect(error.message).toContain("the app's start timeout of 120 ms");
    // B got what A left of the 120 ms, not its own 10 s.
    expect(error.elapsedMs).toBe(60);
  });

  it('aborts the signal of a timed-out hook and reports its late completion', async () => {
    const marks = new Marks();
    let signal: AbortSignal | undefined;
    const logger = new RecordingLogger();
    const recorder = new LifecycleRecorder();
    const slow = component('Slow', [], (s) => {
      signal = s;
      return new Promise<void>((resolve) => setTimeout(() => resolve(marks.mark('settled:Slow')), 150));
    });
    const app = createApp([bundle('x', [slow.provider])], { stopTimeoutMs: 50, onEvent: recorder.onEvent, logger });
    await app.start();
    const error = (await stopOnFakeClock(app, marks)) as StopError;
    expect(error.code).toBe('ERR_CORE_STOP_FAILED');
    expect(signal?.aborted).toBe(true);
    expect(recorder.events.some((e) => e.type === 'late')).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    expect(marks.entries).toEqual(['settled:Slow@150']);
    expect(recorder.events.map((e) => `${e.type}:${e.component}`)).toEqual(['executing:Slow', 'executed:Slow', 'late:Slow']);
    expect(recorder.events.find((e) => e.type === 'late')).toMatchObject({ component: 'Slow', phase: 'stop', durationMs: 150 });
    expect(logger.messages('warn')).toContain('onStop of "Slow" settled after its timeout');
  });

  it('still calls stop hooks after the global deadline, so synchronous cleanup happens', async () => {
    const j = new Journal();
    const closed: string[] = [];
    const a = probe(j, 'A');
    const app = createApp(
      [
        bundle('x', [
          { ...a.provider, kind: 'value', useValue: { onStop: () => void closed.push('A') } },
          probe(j, 'B', [a.token], { hangStop: true }).provider,
        ]),
      ],
      { stopTimeoutMs: 60 },
    );
    await app.start();
    const error = (await app.stop().catch((e: unknown) => e)) as StopError;
    expect((error.errors as HookError[]).map((e) => e.component)).toEqual(['B']);
    expect(closed).toEqual(['A']);
  });

  it('stops in its 1 s budget when a hook never settles, naming that hook, with every other hook run', async () => {
    const marks = new Marks();
    const first = component('Store', [], quick(marks, 'Store'));
    const stuck = component('Stuck', [first.token], hanging(marks, 'Stuck'));
    const source = probe(new Journal(), 'Source', [stuck.token]);
    const app = createApp([bundle('x', [first.provider, stuck.provider, source.provider])]);
    await app.start();
    marks.begin();
    const startedAt = performance.now();
    const error = (await app.stop({ timeoutMs: 1000 }).catch((e: unknown) => e)) as StopError;
    // The one wall-clock assertion the issue asks for; ±100 ms for a loaded machine's timers.
    expect(Math.abs(performance.now() - startedAt - 1000)).toBeLessThanOrEqual(100);
    expect(error.result?.unfinished).toEqual(['Stuck']);
    expect(error.errors.map((e: HookError) => e.component)).toEqual(['Stuck']);
    expect(error.result?.stages.map((s) => `${s.component}:${s.outcome}`)).toEqual(['Source:done', 'Stuck:unfinished', 'Store:done']);
    expect(marks.entries.map((e) => e.split('@')[0])).toEqual(['stop:Stuck', 'abort:Stuck', 'stop:Store']);
  });
});
