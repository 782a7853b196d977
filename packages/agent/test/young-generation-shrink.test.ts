import { afterEach, describe, expect, it } from '@jest/globals';
import { getHeapSpaceStatistics } from 'node:v8';
import { startYoungGenerationShrink, type YoungGenerationShrink } from '../src/young-generation-shrink.js';

// The quiet-time shrink in this process's own V8: a real allocation burst grows the new space,
// and the shrink's scavenges let V8 give it back once the process is quiet.
const MiB = 2 ** 20;
const CASE_TIMEOUT_MS = 30_000;

const newSpaceBytes = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

/** Keeps a ring of short-lived arrays alive across scavenges, so V8 doubles the new space (to Node 20's 32 MiB). */
function burst(): number {
  let largest = 0;
  const ring: unknown[] = new Array(64);
  for (let round = 0; round < 3000; round++) {
    ring[round % ring.length] = Array.from({ length: 2000 }, (_, i) => ({ round, i, tag: `t${i}` }));
    largest = Math.max(largest, newSpaceBytes());
  }
  return largest;
}

async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return done();
}

let running: YoungGenerationShrink | undefined;
afterEach(() => {
  running?.stop();
  running = undefined;
});

describe('startYoungGenerationShrink', () => {
  it(
    'gives the new space back to V8 once the process is quiet after a burst',
    async () => {
      const shrink = (running = startYoungGenerationShrink({ checkMs: 50 }));
      expect(burst()).toBeGreaterThanOrEqual(8 * MiB);
      expect(await until(() => shrink.shrinks > 0, 20_000)).toBe(true);
      // One scavenge to clear what the burst left, one a throughput window later that V8 shrinks at.
      expect(shrink.scavenges).toBeGreaterThanOrEqual(2);
      expect(newSpaceBytes()).toBeLessThanOrEqual(2 * MiB);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'does it again after the next burst',
    async () => {
      const shrink = (running = startYoungGenerationShrink({ checkMs: 50 }));
      burst();
      expect(await until(() => shrink.shrinks > 0, 20_000)).toBe(true);
      const scavenges = shrink.scavenges;
      expect(burst()).toBeGreaterThanOrEqual(8 * MiB);
      expect(await until(() => shrink.shrinks > 1, 20_000)).toBe(true);
      expect(shrink.scavenges).toBeGreaterThan(scavenges);
      expect(newSpaceBytes()).toBeLessThanOrEqual(2 * MiB);
    },
    2 * CASE_TIMEOUT_MS,
  );

  it('asks for nothing once stopped', async () => {
    const shrink = startYoungGenerationShrink({ checkMs: 20 });
    shrink.stop();
    shrink.stop();
    expect(burst()).toBeGreaterThanOrEqual(8 * MiB);
    // 25 looks' worth: a timer or observer left behind would have scavenged by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(shrink.scavenges).toBe(0);
  });
});
