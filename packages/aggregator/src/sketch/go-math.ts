/**
 * Ports of Go's `math.Log` (amd64: the fdlibm algorithm, no FMA) and `math.Pow` for integer
 * exponents (Frexp + repeated squaring). V8's Math.log differs from Go at exact .5 ties of
 * the sketch key, and Math.pow by up to 1,762 ulp (agent-sketch.md §8), so a bit-compatible
 * sketch must use these. Both assume x > 0 and finite: callers filter NaN, ±Inf and x ≤ 0.
 */

// One shared scratch (the process is single-threaded): faster than a DataView per call.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the high 32-bit word of a float64 on this machine.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

let frexpExp = 0;

/** Go's Frexp for x > 0 finite: returns the fraction in [0.5, 1); the exponent is left in frexpExp. */
function frexp(x: number): number {
  f64[0] = x;
  let hi = u32[HI] as number;
  let bias = 0;
  if (((hi >>> 20) & 0x7ff) === 0) {
    // Subnormal: scale into the normal range first.
    f64[0] = x * 2 ** 52;
    hi = u32[HI] as number;
    bias = -52;
  }
  frexpExp = ((hi >>> 20) & 0x7ff) - 1022 + bias;
  u32[HI] = (hi & 0x800fffff) | (1022 << 20);
  return f64[0];
}

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const L1 = 6.666666666666735130e-1;
const L2 = 3.999999999940941908e-1;
const L3 = 2.857142874366239149e-1;
const L4 = 2.222219843214978396e-1;
const L5 = 1.818357216161805012e-1;
const L6 = 1.531383769920937332e-1;
const L7 = 1.479819860511658591e-1;

/** Go's `math.Log(x)` for x > 0 finite, bit for bit. */
export function goLog(x: number): number {
  let f1 = frexp(x);
  let ki = frexpExp;
  if (f1 < Math.SQRT1_2) {
    f1 *= 2;
    ki--;
  }
  const f = f1 - 1;
  const k = ki;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
  const t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

/** Go's `math.Pow(x, y)` for x > 0 and integer y, bit for bit, for results in the normal range. */
export function goPowInt(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  let a1 = 1;
  let ae = 0;
  let x1 = frexp(x);
  let xe = frexpExp;
  for (let i = Math.abs(y); i !== 0; i = Math.floor(i / 2)) {
    if (xe < -4096 || xe > 4096) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return a1 * 2 ** ae;
}

/** Go's `math.RoundToEven` for |x| < 2^52 (exact there: x - floor(x) has no rounding error). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
