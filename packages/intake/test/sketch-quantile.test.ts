import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AgentSketch } from '@agentkit/aggregator';
import type { Dogsketch } from '@agentkit/serializer';
import { sketchQuantile } from '../src/index.js';

const QUANTILES = [0, 0.001, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

/** Each quantile of the finished Dogsketch, next to AgentSketch.quantile on the same sketch. */
function compare(sketch: AgentSketch): { ours: number[]; reference: number[] } {
  const finished = sketch.finish(0) as Dogsketch;
  return { ours: QUANTILES.map((q) => sketchQuantile(finished, q)), reference: QUANTILES.map((q) => sketch.quantile(q)) };
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('sketchQuantile on a decoded Dogsketch', () => {
  it.each([
    ['uniform 1..1000', (s: AgentSketch) => { for (let i = 1; i <= 1000; i++) s.insert(i); }],
    ['exponential latencies', (s: AgentSketch) => { const r = lcg(7); for (let i = 0; i < 5000; i++) s.insert(-Math.log(1 - r()) * 120); }],
    ['negative, zero and positive', (s: AgentSketch) => { const r = lcg(3); for (let i = 0; i < 3000; i++) s.insert((r() - 0.5) * 1e4); for (let i = 0; i < 50; i++) s.insert(0); }],
    ['one value', (s: AgentSketch) => s.insert(42.5)],
    ['sample rates (weighted inserts)', (s: AgentSketch) => { for (let i = 1; i <= 200; i++) s.insert(i, i % 3 === 0 ? 0.1 : 0.5); }],
    ['counts over 65535 in one key (bins split)', (s: AgentSketch) => { for (let i = 0; i < 140_000; i++) s.insert(i % 2 === 0 ? 10 : 1000); }],
    ['interpolated histogram buckets', (s: AgentSketch) => { s.insertInterpolate(0, 10, 50); s.insertInterpolate(10, 100, 500); }],
    ['tiny and huge magnitudes', (s: AgentSketch) => { s.insert(1e-12); s.insert(3e-9); s.insert(5); s.insert(1e200); }],
  ])('%s: identical to AgentSketch.quantile', (_name, fill) => {
    const sketch = new AgentSketch();
    fill(sketch);
    const { ours, reference } = compare(sketch);
    expect(ours).toEqual(reference);
  });

  it('identical to AgentSketch.quantile for any finite values and any q (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 600 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sketch = new AgentSketch();
          for (const v of values) sketch.insert(v);
          const finished = sketch.finish(0) as Dogsketch;
          return Object.is(sketchQuantile(finished, q), sketch.quantile(q));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an empty sketch gives 0', () => {
    expect(sketchQuantile({ min: 0, max: 0, k: [], n: [] }, 0.5)).toBe(0);
  });

  it('is within the sketch accuracy (about 1 %) of the exact percentile', () => {
    const sketch = new AgentSketch();
    for (let i = 1; i <= 10_000; i++) sketch.insert(i);
    const finished = sketch.finish(0) as Dogsketch;
    for (const q of [0.5, 0.95, 0.99]) expect(Math.abs(sketchQuantile(finished, q) - q * 10_000) / (q * 10_000)).toBeLessThan(0.01);
  });
});
