import { describe, expect, it } from '@jest/globals';
import { goLog, goPowInt, roundHalfEven } from '../../src/sketch/go-math.js';
import {
  SKETCH_BIAS,
  SKETCH_GAMMA,
  SKETCH_LN_GAMMA,
  SKETCH_NORM_MIN,
  sketchKey,
  sketchKeyValue,
} from '../../src/sketch/sketch-config.js';
import { bits, fromBits, nextDown } from './helpers.js';

// agent-sketch.md §7.1 – §7.3: Go (amd64) reference values, bit for bit.
describe('sketch constants (§7.1)', () => {
  it('match the Agent bit for bit', () => {
    expect(bits(SKETCH_GAMMA)).toBe('3ff0400000000000');
    expect(bits(SKETCH_LN_GAMMA)).toBe('3f8fc0a8b0fc03e4');
    expect(SKETCH_BIAS).toBe(1338);
    expect(bits(SKETCH_NORM_MIN)).toBe('3e111479426012e9');
    expect(bits(sketchKeyValue(32766))).toBe('6bdf76c560693f41');
  });

  it('derive from Go math: emin = floor(logγ(1e-9)) = -1337 and norm.min = GoPow(γ, -1337)', () => {
    expect(goLog(1e-9) / SKETCH_LN_GAMMA).toBe(-1336.6238718087138);
    expect(Math.floor(goLog(1e-9) / SKETCH_LN_GAMMA)).toBe(-1337);
    expect(bits(goPowInt(SKETCH_GAMMA, -1337))).toBe('3e111479426012e9');
  });
});

describe('sketchKey (§7.2)', () => {
  const table: [number, number][] = [
    [0, 0], [-0, 0], [1, 1338], [-1, -1338], [0.5, 1293], [0.25, 1249], [2, 1383], [3, 1409],
    [3.15, 1412], [2.28, 1391], [7, 1464], [-3.7, -1422], [0.1, 1189], [0.001, 892], [1e-6, 447],
    [1e-9, 1], [-1e-9, -1], [9.99e-10, 1], [9.941854089121368e-10, 1], [9.941854089121366e-10, 0],
    [1e-320, 0], [10, 1487], [15, 1513], [20, 1531], [42, 1579], [100, 1635], [123.456, 1649],
    [1000, 1784], [1e4, 1932], [1e5, 2081], [1e6, 2229], [1e9, 2675], [1e12, 3120], [1e15, 3566],
    [1e18, 4011], [1e100, 16189], [1e200, 31041], [4.1e211, 32765], [4.137616223466919e211, 32766],
    [4.2e211, 32767], [1e230, 32767], [1e300, 32767], [Number.MAX_VALUE, 32767], [-1e300, -32767],
  ];
  it.each(table)('key(%p) = %p', (v, k) => {
    expect(sketchKey(v)).toBe(k);
  });

  it('maps nextDown(norm.min) to 0', () => {
    expect(sketchKey(nextDown(SKETCH_NORM_MIN))).toBe(0);
    expect(sketchKey(SKETCH_NORM_MIN)).toBe(1);
  });

  it('puts bin edges where Go does', () => {
    expect(sketchKey(fromBits('3ff01fe03f61bad0'))).toBe(1338);
    expect(sketchKey(fromBits('3ff01fe03f61bad6'))).toBe(1339);
    expect(sketchKey(1.0078125)).toBe(1339);
    expect(sketchKey(1.015625)).toBe(1339);
  });

  it('agrees with Go at exact .5 ties where V8 Math.log does not', () => {
    expect(sketchKey(fromBits('3ff9475904836775'))).toBe(1367);
    expect(sketchKey(fromBits('3ffa13284237cae7'))).toBe(1369);
    // The reason for the Go port: plain Math.log lands on the tie and rounds the other way.
    expect(roundHalfEven(Math.log(fromBits('3ff9475904836775')) / SKETCH_LN_GAMMA) + SKETCH_BIAS).toBe(1368);
  });

  it('round-trips key(f64(k)) = k for every finite key', () => {
    for (let k = -32766; k <= 32766; k++) {
      if (sketchKey(sketchKeyValue(k)) !== k) throw new Error(`key(f64(${k})) = ${sketchKey(sketchKeyValue(k))}`);
    }
  });
});

describe('sketchKeyValue (§7.3)', () => {
  const table: [number, string][] = [
    [1, '3e111479426012e9'], [2, '3e1158cb27699334'], [100, '3e33d115a0ac49e7'], [1293, '3fdfdae1fa01eca0'],
    [1337, '3fef81f81f81f820'], [1338, '3ff0000000000000'], [1339, '3ff0400000000000'], [1442, '40140f5ec2c4b0d9'],
    [1487, '402426be77170095'], [2000, '40dc00aea5de1551'], [3000, '424211377b6e6a7b'], [10000, '4c0ae89b4340a259'],
    [20000, '5a05871bb31658f4'], [30000, '68013910a20d1c73'], [32766, '6bdf76c560693f41'],
  ];
  it.each(table)('f64(%p) has bits %s', (k, hex) => {
    expect(bits(sketchKeyValue(k))).toBe(hex);
    expect(sketchKeyValue(-k)).toBe(-fromBits(hex));
  });

  it('maps 0 to 0 and ±32767 to ±Inf', () => {
    expect(sketchKeyValue(0)).toBe(0);
    expect(sketchKeyValue(32767)).toBe(Infinity);
    expect(sketchKeyValue(-32767)).toBe(-Infinity);
  });

  it('gives the documented decimal values', () => {
    expect(sketchKeyValue(2)).toBe(1.0097195559263888e-9);
    expect(sketchKeyValue(1442)).toBe(5.015009921317152);
    expect(sketchKeyValue(1487)).toBe(10.075671884115119);
    expect(sketchKeyValue(10000)).toBe(2.111351747255488e58);
  });
});
