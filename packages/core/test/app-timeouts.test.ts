import { describe, expect, it } from '@jest/globals';
import { bundle, createApp, type HookError, type StopError } from '../src/index.js';
import { LifecycleRecorder, RecordingLogger } from '../src/testing/index.js';
import { Journal, probe } from './helpers.js';

describe('App timeouts', () => {
  it("times out a hook at its own stopTimeoutMs inside the app's budget, and goes on stopping", async () => {
    const j = new Journal();
    const a = probe(j, 'A');
    const b = probe(j, 'B', [a.token], { hangStop: true }, { stopTimeoutMs: 80 });
    const app = createApp([bundle('x', [a.provider, b.provider])], { stopTimeoutMs: 5000 });
    await app.start();
    const startedAt = performance.now();
    const error = (await app.stop().catch((e: unknown) => e)) as StopError;
    expect(performance.now() - startedAt).toBeLessThan(2000);
    const [timeout] = error.errors as HookError[];
    expect(timeout).toMatchObject({ code: 'ERR_CORE_HOOK_TIMEOUT', component: 'B', phase: 'stop' });
    expect(timeout?.message).toMatch(/^onStop of "B" timed out \(its stopTimeoutMs of 80 ms\) after \d+ ms$/);
    expect(j.stops()).toEqual(['B', 'A']);
  });

  it('takes a hook timeout from the config when given as a function of it', async () => {
    const j = new Journal();
    const a = probe(j, 'A', [], { hangStop: true }, { stopTimeoutMs: (config) => Number(config.get('my_stop_timeout')) * 1000 });
    const app = createApp([bundle('x', [a.provider])], { config: { my_stop_timeout: 0.08 }, stopTimeoutMs: 5000 });
    await app.start();
    const error = (await app.stop().catch((e: unknown) => e)) as StopError;
    expect((error.errors as HookError[])[0]?.message).toMatch(/^onStop of "A" timed out \(its stopTimeoutMs of 80 ms\)/);
  });

  it('rejects a timeout function that returns no positive number, naming the component', async () => {
    const a = probe(new Journal(), 'A', [], {}, { stopTimeoutMs: () => -1 });
    await expect(createApp([bundle('x', [a.provider])]).start()).rejects.toThrow('A: stopTimeoutMs(config) returned -1');
  });

  it("caps every hook by what is left of the app's global budget", async () => {
    const j = new Journal();
    const a = probe(j, 'A', [], { startMs: 60 }, { startTimeoutMs: 10_000 });
    const b = probe(j, 'B', [a.token], { startMs: 200 }, { startTimeoutMs: 10_000 });
    const app = createApp([bundle('x', [a.provider, b.provider])], { startTimeoutMs: 120 });
    const error = (await app.start().catch((e: unknown) => e)) as HookError;
    expect(error).toMatchObject({ code: 'ERR_CORE_HOOK_TIMEOUT', component: 'B' });
    expect(error.message).toContain("the app's start timeout of 120 ms");
    // B got what A left of the 120 ms, not its own 10 s.
    expect(error.elapsedMs).toBeLessThan(120);
  });

  it('aborts the signal of a timed-out hook and reports its late completion', async () => {
    let signal: AbortSignal | undefined;
    const logger = new RecordingLogger();
    const recorder = new LifecycleRecorder();
    const app = createApp(
      [
        bundle('x', [
          {
            ...probe(new Journal(), 'Slow').provider,
            kind: 'value',
            useValue: {
              onStop: (s: AbortSignal) => {
                signal = s;
                return new Promise((r) => setTimeout(r, 150));
              },
            },
          },
        ]),
      ],
      { stopTimeoutMs: 50, onEvent: recorder.onEvent, logger },
    );
    await app.start();
    await expect(app.stop()).rejects.toMatchObject({ code: 'ERR_CORE_STOP_FAILED' });
    expect(signal?.aborted).toBe(true);
    expect(recorder.events.some((e) => e.type === 'late')).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    const late = recorder.events.find((e) => e.type === 'late');
    expect(late).toMatchObject({ component: 'Slow', phase: 'stop' });
    expect(late?.durationMs).toBeGreaterThanOrEqual(140);
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
});
