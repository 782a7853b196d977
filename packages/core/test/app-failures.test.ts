import { describe, expect, it } from '@jest/globals';
import type { StopError} from '../src/index.js';
import { bundle, createApp, HookError, provide, token } from '../src/index.js';
import { LifecycleRecorder } from '../src/testing/index.js';
import { Journal, probe } from './helpers.js';

describe('App', () => {
  describe('when a start fails', () => {
    it('stops only what started, in reverse, and rejects naming the component and phase', async () => {
      const j = new Journal();
      const a = probe(j, 'A');
      const b = probe(j, 'B', [a.token]);
      const c = probe(j, 'C', [b.token], { failStart: true });
      const d = probe(j, 'D', [c.token]);
      const recorder = new LifecycleRecorder();
      const app = createApp([bundle('x', [a.provider, b.provider, c.provider, d.provider])], { onEvent: recorder.onEvent });
      const error = await app.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HookError);
      expect(error).toMatchObject({ code: 'ERR_CORE_HOOK_FAILED', component: 'C', phase: 'start' });
      expect((error as HookError).message).toMatch(/^onStart of "C" failed: C start boom after \d+ ms$/);
      expect((error as HookError).cause).toBeInstanceOf(Error);
      // C's own onStop is not called: it never started. D never started either.
      expect(j.entries).toEqual(['start:A', 'start:B', 'start:C', 'stop:B', 'stop:A']);
      expect(recorder.events.some((e) => e.type === 'rolling-back' && e.component === 'C')).toBe(true);
      expect(app.state).toBe('failed');
      await app.stop(); // nothing left to stop
      expect(j.stops()).toEqual(['B', 'A']);
    });

    it('rolls back with a fresh stop budget even when the start used up its own', async () => {
      const j = new Journal();
      const a = probe(j, 'A', [], { stopMs: 150 });
      const b = probe(j, 'B', [a.token], { hangStart: true });
      const app = createApp([bundle('x', [a.provider, b.provider])], { startTimeoutMs: 100, stopTimeoutMs: 1000 });
      const error = (await app.start().catch((e: unknown) => e)) as HookError;
      expect(error).toMatchObject({ code: 'ERR_CORE_HOOK_TIMEOUT', component: 'B', phase: 'start' });
      expect(error.message).toContain("the app's start timeout of 100 ms");
      // A's 150 ms onStop outlives the spent start budget but fits the fresh stop budget.
      expect(error.rollbackErrors).toEqual([]);
      expect(j.stops()).toEqual(['A']);
    });

    it('attaches rollback failures to the start error', async () => {
      const j = new Journal();
      const a = probe(j, 'A', [], { failStop: true });
      const b = probe(j, 'B', [a.token], { failStart: true });
      const app = createApp([bundle('x', [a.provider, b.provider])]);
      const error = (await app.start().catch((e: unknown) => e)) as HookError;
      expect(error.component).toBe('B');
      expect(error.rollbackErrors.map((e) => [e.component, e.phase])).toEqual([['A', 'stop']]);
    });

    it('names the component whose constructor threw, and starts nothing', async () => {
      const j = new Journal();
      const a = probe(j, 'A');
      const BROKEN = token<object>('Broken');
      const app = createApp([
        bundle('x', [
          a.provider,
          provide(BROKEN, {
            deps: [a.token],
            useFactory: () => {
              throw new Error('no socket');
            },
          }),
        ]),
      ]);
      const error = (await app.start().catch((e: unknown) => e)) as HookError;
      expect(error).toMatchObject({ code: 'ERR_CORE_CONSTRUCT_FAILED', component: 'Broken', phase: 'construct' });
      expect(error.message).toContain('no socket');
      expect(j.entries).toEqual([]);
    });
  });

  describe('when stop hooks fail', () => {
    it('keeps stopping and rejects with an AggregateError naming each component, phase and time', async () => {
      const j = new Journal();
      const a = probe(j, 'A', [], { failStop: true });
      const b = probe(j, 'B', [a.token]);
      const c = probe(j, 'C', [b.token], { failStop: true });
      const app = createApp([bundle('x', [a.provider, b.provider, c.provider])]);
      await app.start();
      const error = (await app.stop().catch((e: unknown) => e)) as StopError;
      expect(error).toBeInstanceOf(AggregateError);
      expect(error.code).toBe('ERR_CORE_STOP_FAILED');
      expect(j.stops()).toEqual(['C', 'B', 'A']);
      expect(error.errors.map((e: HookError) => [e.component, e.phase, typeof e.elapsedMs])).toEqual([
        ['C', 'stop', 'number'],
        ['A', 'stop', 'number'],
      ]);
      for (const e of error.errors as HookError[]) expect(e.message).toMatch(/^onStop of "[AC]" failed: [AC] stop boom after \d+ ms$/);
    });
  });
});
