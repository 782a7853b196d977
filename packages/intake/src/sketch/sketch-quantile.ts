import { SKETCH_GAMMA, sketchKeyValue } from '@agentkit/aggregator';

/** What a quantile needs from a decoded `Dogsketch`: its summary bounds and its bins. */
export interface SketchBins {
  readonly min: number;
  readonly max: number;
  /** Bin keys, ascending (as the Agent sends them). */
  readonly k: ArrayLike<number>;
  /** Bin counts, one per key. */
  readonly n: ArrayLike<number>;
}

/**
 * The Agent's `Sketch.Quantile` on a sketch as it arrives in a payload (the intake computes
 * percentiles; the Agent never does): the rank is round-half-even of q·(total − 1), the bin
 * holding it is found by walking the counts, and the value is interpolated between the bin's
 * key value and that value · γ, the first bin starting at the sketch's min. Same arithmetic,
 * same order as `AgentSketch.quantile` in @agentkit/aggregator, so the results are identical.
 */
export function sketchQuantile(sketch: SketchBins, q: number): number {
  const { k, n } = sketch;
  const bins = Math.min(k.length, n.length);
  let total = 0;
  for (let i = 0; i < bins; i++) total += n[i] as number;
  if (total === 0) return 0;
  if (q <= 0) return sketch.min;
  if (q >= 1) return sketch.max;
  const rWant = roundHalfEven(q * (total - 1));
  let seen = 0;
  for (let i = 0; i < bins; i++) {
    const count = n[i] as number;
    seen += count;
    if (seen <= rWant) continue;
    const weight = (seen - rWant) / count;
    let vLow = sketchKeyValue(k[i] as number);
    const vHigh = vLow * SKETCH_GAMMA;
    if (i === 0) vLow = sketch.min;
    return vLow * weight + vHigh * (1 - weight);
  }
  return sketch.max;
}

/** Go's `math.RoundToEven` for |x| < 2^52. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
