import { describe, expect, it } from '@jest/globals';
import { HeapReclaimer, processHeapProbe, type HeapReclaimerProbe } from '../src/heap-reclaimer.js';

const MIB = 1024 * 1024;

/** A heap whose size the test sets; `collect` brings it back to `liveBytes`. */
class SetHeap implements HeapReclaimerProbe {
  public held = 0;
  public liveBytes = 0;
  public now = 0;
  public collections = 0;
  public heldBytes(): number {
    return this.held;
  }
  public collect(): void {
    this.collections++;
    this.held = this.liveBytes;
  }
  public nowMs(): number {
    return this.now;
  }
}

describe('HeapReclaimer', () => {
  describe('check', () => {
    it('collects once the heap has grown past the floor and the fraction of its base, not before', () => {
      const heap = new SetHeap();
      heap.held = heap.liveBytes = 40 * MIB;
      const reclaimer = new HeapReclaimer(heap, { floorBytes: 24 * MIB, growth: 0.25, minGapMs: 0, quietBytes: Number.POSITIVE_INFINITY });
      reclaimer.start();
      reclaimer.stop();
      heap.held = 64 * MIB; // +24 MiB: the floor, not past it
      expect(reclaimer.check()).toBe(false);
      heap.held = 64 * MIB + 1;
      expect(reclaimer.check()).toBe(true);
      expect(heap.collections).toBe(1);
      expect(reclaimer.counts()).toMatchObject({ collections: 1 });
    });

    it('takes the growth as a fraction of the base when that is above the floor', () => {
      const heap = new SetHeap();
      heap.held = heap.liveBytes = 200 * MIB;
      const reclaimer = new HeapReclaimer(heap, { floorBytes: 24 * MIB, growth: 0.25, minGapMs: 0, quietBytes: Number.POSITIVE_INFINITY });
      reclaimer.start();
      reclaimer.stop();
      heap.held = 240 * MIB; // +40 MiB: past the floor, under 25 % of 200
      expect(reclaimer.check()).toBe(false);
      heap.held = 251 * MIB;
      expect(reclaimer.check()).toBe(true);
    });

    it('measures its new base on the reading after a collection, and follows V8 collecting by itself', () => {
      const heap = new SetHeap();
      heap.held = heap.liveBytes = 10 * MIB;
      const reclaimer = new HeapReclaimer(heap, { floorBytes: 8 * MIB, growth: 0, minGapMs: 0, quietBytes: Number.POSITIVE_INFINITY });
      reclaimer.start();
      reclaimer.stop();
      heap.held = 30 * MIB;
      heap.liveBytes = 20 * MIB;
      expect(reclaimer.check()).toBe(true);
      heap.held = 21 * MIB; // e.g. Buffers the collection freed leaving `external` late
      expect(reclaimer.check()).toBe(false); // the reading that becomes the base
      expect(reclaimer.counts().heldAfterLastBytes).toBe(21 * MIB);
      heap.held = 29 * MIB;
      expect(reclaimer.check()).toBe(false); // +8: not past the floor over 21
      heap.held = 15 * MIB; // V8 collected: a lower base
      expect(reclaimer.check()).toBe(false);
      heap.held = 24 * MIB; // +9 over 15
      expect(reclaimer.check()).toBe(true);
    });

    it('runs at most one collection per minGapMs however fast the heap grows', () => {
      const heap = new SetHeap();
      const reclaimer = new HeapReclaimer(heap, { floorBytes: MIB, growth: 0, minGapMs: 2000, quietBytes: Number.POSITIVE_INFINITY });
      reclaimer.start();
      reclaimer.stop();
      const grow = (): boolean => {
        heap.held += 10 * MIB;
        heap.liveBytes = heap.held;
        const collected = reclaimer.check();
        reclaimer.check(); // the base after it
        return collected;
      };
      expect(grow()).toBe(true);
      heap.now = 1999;
      expect(grow()).toBe(false);
      heap.now = 2000;
      expect(grow()).toBe(true);
      expect(heap.collections).toBe(2);
    });

    it('waits for the heap to stop growing: a burst or a flush under way is not paused', () => {
      const heap = new SetHeap();
      heap.held = heap.liveBytes = 40 * MIB;
      const reclaimer = new HeapReclaimer(heap, { floorBytes: 24 * MIB, growth: 0.25, minGapMs: 0, quietBytes: 2 * MIB });
      reclaimer.start();
      reclaimer.stop();
      heap.held = 80 * MIB; // +40 since the last reading
      expect(reclaimer.check()).toBe(false);
      heap.held = 85 * MIB; // +5: still growing
      expect(reclaimer.check()).toBe(false);
      heap.held = 87 * MIB; // +2: quiet
      expect(reclaimer.check()).toBe(true);
      expect(heap.collections).toBe(1);
    });

    it('stops, without throwing, when a collection cannot run', () => {
      const heap = new SetHeap();
      heap.collect = () => {
        throw new Error('no gc');
      };
      const reclaimer = new HeapReclaimer(heap, { floorBytes: MIB, growth: 0, minGapMs: 0, quietBytes: Number.POSITIVE_INFINITY });
      reclaimer.start();
      heap.held = 10 * MIB;
      expect(reclaimer.check()).toBe(false);
      expect(reclaimer.counts().collections).toBe(0);
      reclaimer.stop();
    });
  });

  describe('processHeapProbe', () => {
    it("collects this process's garbage without exposing gc to the program", () => {
      const probe = processHeapProbe();
      expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
      probe.collect();
      const base = probe.heldBytes();
      // Enough to outgrow the young generation: what survives it is what the probe counts.
      const holder: { garbage?: unknown[] } = { garbage: Array.from({ length: 1_000_000 }, (_, i) => ({ i, s: `tag:${i}` })) };
      expect(probe.heldBytes()).toBeGreaterThan(base + 16 * MIB);
      delete holder.garbage;
      probe.collect();
      expect(probe.heldBytes()).toBeLessThan(base + 4 * MIB);
    });
  });
});
