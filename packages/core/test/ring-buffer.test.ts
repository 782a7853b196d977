import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RingBuffer } from '@agentkit/core';

type RingOp = { readonly op: 'push' | 'overwrite' | 'shift'; readonly value: number };

/**
 * Runs `sequence` on a new ring of `capacity` and on an array used as a bounded queue, checking
 * after every step that both agree; returns the ring.
 */
function runAgainstArrayModel(capacity: number, sequence: readonly RingOp[]): RingBuffer<number> {
  const ring = new RingBuffer<number>(capacity);
  const model: number[] = [];
  for (const { op, value } of sequence) {
    if (op === 'push') {
      expect(ring.push(value)).toBe(model.length < capacity);
      if (model.length < capacity) model.push(value);
    } else if (op === 'overwrite') {
      const evicts = model.length === capacity;
      expect(ring.pushOverwrite(value)).toBe(evicts);
      if (evicts) model.shift();
      model.push(value);
    } else {
      expect(ring.shift()).toBe(model.shift());
    }
    expect([ring.length, ring.room, ring.full, ring.capacity]).toEqual([model.length, capacity - model.length, model.length === capacity, capacity]);
    expect(ring.peek()).toBe(model[0]);
  }
  expect([...ring]).toEqual(model);
  expect(ring.toArray()).toEqual(model);
  return ring;
}

describe('RingBuffer', () => {
  describe('constructor', () => {
    it.each([0, -1, 1.5, Number.NaN])('refuses capacity %p with a RangeError', (capacity) => {
      expect(() => new RingBuffer(capacity)).toThrow(RangeError);
    });
  });

  describe('push (refuse when full: the DogStatsD server and the forwarder queues)', () => {
    it('refuses the new item when full and keeps the ones it holds', () => {
      const ring = new RingBuffer<number>(3);
      expect([ring.push(1), ring.push(2), ring.push(3), ring.push(4)]).toEqual([true, true, true, false]);
      expect(ring.full).toBe(true);
      expect(ring.room).toBe(0);
      expect(ring.toArray()).toEqual([1, 2, 3]);
    });

    it('stays FIFO across wrap-around', () => {
      const ring = new RingBuffer<number>(3);
      ring.push(1);
      ring.push(2);
      expect(ring.shift()).toBe(1);
      ring.push(3);
      ring.push(4); // wraps to slot 0
      expect(ring.full).toBe(true);
      expect([...ring]).toEqual([2, 3, 4]);
      expect([ring.shift(), ring.shift(), ring.shift(), ring.shift()]).toEqual([2, 3, 4, undefined]);
      expect(ring.length).toBe(0);
    });
  });

  describe('pushOverwrite (drop the oldest: the intake history)', () => {
    it('keeps the newest `capacity` items and says when it pushed one out', () => {
      const ring = new RingBuffer<string>(2);
      expect([ring.pushOverwrite('a'), ring.pushOverwrite('b'), ring.pushOverwrite('c'), ring.pushOverwrite('d')]).toEqual([false, false, true, true]);
      expect(ring.toArray()).toEqual(['c', 'd']);
      expect(ring.length).toBe(2);
      expect(ring.peek()).toBe('c');
    });

    it('mixes with shift: the oldest left is still the first out', () => {
      const ring = new RingBuffer<number>(3);
      for (let i = 1; i <= 5; i++) ring.pushOverwrite(i); // holds 3 4 5
      expect(ring.shift()).toBe(3);
      expect(ring.pushOverwrite(6)).toBe(false);
      expect(ring.pushOverwrite(7)).toBe(true);
      expect(ring.drain()).toEqual([5, 6, 7]);
    });
  });

  describe('peek, drain, clear, iteration', () => {
    it('peeks without removing, and is undefined when empty', () => {
      const ring = new RingBuffer<number>(2);
      expect(ring.peek()).toBeUndefined();
      ring.push(7);
      expect(ring.peek()).toBe(7);
      expect(ring.length).toBe(1);
    });

    it('drain empties the ring oldest first, and the ring is usable afterwards', () => {
      const ring = new RingBuffer<number>(3);
      ring.push(1);
      ring.push(2);
      ring.shift();
      ring.push(3);
      ring.push(4);
      expect(ring.drain()).toEqual([2, 3, 4]);
      expect([ring.length, ring.room, ring.full]).toEqual([0, 3, false]);
      ring.push(5);
      expect([...ring]).toEqual([5]);
    });

    it('clear drops everything', () => {
      const ring = new RingBuffer<object>(2);
      ring.push({});
      ring.clear();
      expect(ring.length).toBe(0);
      expect(ring.shift()).toBeUndefined();
    });
  });

  it('behaves the same while its array grows to capacities above its first slots, for any sequence of operations', () => {
    // Pushes weighted 3:1 over shifts, so rings fill past INITIAL_RING_SLOTS, wrap, and grow while wrapped.
    const op = fc.constantFrom<RingOp['op']>('push', 'push', 'overwrite', 'shift');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.array(fc.tuple(op, fc.integer()), { maxLength: 400 }), (capacity, sequence) => {
        const ring = runAgainstArrayModel(capacity, sequence.map(([op, value]) => ({ op, value })));
        ring.clear();
        expect(ring.length).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('behaves as an array used as a bounded queue, for any sequence of operations', () => {
    const ops = fc.array(fc.record({ op: fc.constantFrom<RingOp['op']>('push', 'overwrite', 'shift'), value: fc.integer() }), { maxLength: 200 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), ops, (capacity, sequence) => {
        runAgainstArrayModel(capacity, sequence);
      }),
    );
  });
});
