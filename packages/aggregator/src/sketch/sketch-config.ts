import { goLog, goPowInt, roundHalfEven } from './go-math.js';

/**
 * The Datadog Agent's sketch parameters (`agentConfig = Default()`, agent-sketch.md §1). They
 * cannot be changed in the Agent, so they are constants here too.
 */

function fromBits(hi: number, lo: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

/** γ = 1 + 2·(1/128). */
export const SKETCH_GAMMA = 1.015625;
/** ln γ as Go's `math.Log1p(1/64)` computes it (bits 0x3f8fc0a8b0fc03e4), hard-coded. */
export const SKETCH_LN_GAMMA = fromBits(0x3f8fc0a8, 0xb0fc03e4);
/** -emin + 1, where emin = floor(logγ(1e-9)) = -1337. */
export const SKETCH_BIAS = 1338;
/** The smallest value with a non-zero key: Go's `math.Pow(γ, -1337)` (bits 0x3e111479426012e9). */
export const SKETCH_NORM_MIN = fromBits(0x3e111479, 0x426012e9);
/** The largest finite key. */
export const SKETCH_MAX_KEY = 32766;
/** The key of +Inf (and of every value beyond the largest finite key); -32767 for -Inf. */
export const SKETCH_INF_KEY = 32767;
/** The most bins a sketch keeps before `trimLeft` folds the lowest ones. */
export const SKETCH_BIN_LIMIT = 4096;
/** The most a bin counts (uint16 in the classic Agent); larger counts split into several bins. */
export const SKETCH_MAX_BIN_COUNT = 65535;
/** Unweighted keys buffered before they are merged into the bins. */
export const SKETCH_BUFFER_CAP = 512;

/**
 * The Agent's `Config.key(v)`: round-half-to-even of logγ(|v|) plus the bias, signed, clamped
 * to [1, 32767]. NaN and ±Inf must be filtered before: Go's result for them is undefined.
 */
export function sketchKey(v: number): number {
  if (v < 0) return -sketchKey(-v);
  if (v === 0 || v < SKETCH_NORM_MIN) return 0;
  const i = roundHalfEven(goLog(v) / SKETCH_LN_GAMMA) + SKETCH_BIAS;
  if (i > SKETCH_MAX_KEY) return SKETCH_INF_KEY;
  if (i < 1) return 1;
  return i;
}

/** The Agent's `Config.f64(k)` (= `binLow`): the representative value γ^(k-1338) of a key. */
export function sketchKeyValue(k: number): number {
  if (k < 0) return -sketchKeyValue(-k);
  if (k === SKETCH_INF_KEY) return Infinity;
  if (k === 0) return 0;
  return goPowInt(SKETCH_GAMMA, k - SKETCH_BIAS);
}
