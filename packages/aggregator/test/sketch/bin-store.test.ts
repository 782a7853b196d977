import { describe, expect, it } from '@jest/globals';
import { appendSafe, binCount, binKey, insertSortedKeys, mergeBins, packBin, trimLeft, type Bins } from '../../src/sketch/bin-store.js';
import { SKETCH_BIN_LIMIT } from '../../src/sketch/sketch-config.js';
import { parseBins } from './helpers.js';

const toBins = (text: string): Bins => parseBins(text).map(([k, n]) => packBin(k, n));
const show = (bins: Bins): [number, number][] => bins.map((b) => [binKey(b), binCount(b)]);

// agent-sketch.md §7.4 (store_test.go) and §4.2.
describe('bin packing', () => {
  it('round-trips every key and count extreme', () => {
    for (const k of [-32767, -1338, -1, 0, 1, 1338, 32766, 32767]) {
      for (const n of [0, 1, 65535]) {
        expect([binKey(packBin(k, n)), binCount(packBin(k, n))]).toEqual([k, n]);
      }
    }
  });
});

describe('appendSafe (§4.2)', () => {
  it.each([
    [65536, '7:1 7:max'],
    [70000, '7:4465 7:max'],
    [65535, '7:max'],
  ])('splits %p into %s', (count, exp) => {
    const out: Bins = [];
    appendSafe(out, 7, count);
    expect(show(out)).toEqual(parseBins(exp));
  });

  it('splits 999,999,999 into 1434 then 15,259 full bins', () => {
    const out: Bins = [];
    appendSafe(out, 1338, 999_999_999);
    expect(out.length).toBe(15_260);
    expect(show(out.slice(0, 2))).toEqual([[1338, 1434], [1338, 65535]]);
  });
});

describe('insertSortedKeys (§7.4 insert)', () => {
  it.each([
    ['', [0, 0, 0, 1, 2, 5, 9], '0:3 1:1 2:1 5:1 9:1'],
    ['0:2', [-3, -2, -1], '-3:1 -2:1 -1:1 0:2'],
    ['0:2', [0, 0], '0:4'],
    ['0:max', [0], '0:1 0:max'],
    ['0:max 0:max', [0], '0:1 0:max 0:max'],
    ['0:1 0:max 0:max', [0, 0], '0:3 0:max 0:max'],
    ['1:1 3:1 4:1 5:1 6:1 7:1', [2, 3], '1:1 2:1 3:2 4:1 5:1 6:1 7:1'],
    ['1:1 3:1', [2, 2, 2], '1:1 2:3 3:1'],
    ['0:max-3', [0, 0, 0, 0, 0], '0:2 0:max'],
  ])('%s + %p = %s', (start, keys, exp) => {
    expect(show(insertSortedKeys(toBins(start), keys, SKETCH_BIN_LIMIT))).toEqual(parseBins(exp));
  });
});

describe('trimLeft (§7.4)', () => {
  it.each([
    ['1:1', 1, '1:1'],
    ['1:max 2:max 3:max', 2, '2:max 2:max 3:max'],
    ['1:max 1:max 1:1 2:max 3:1 4:1', 3, '1:65535 1:65535 2:1 2:65535 3:1 4:1'],
    ['1:max-1 2:max-1 3:1', 3, '1:max-1 2:max-1 3:1'],
  ])('trimLeft(%s, %p) = %s', (start, limit, exp) => {
    expect(show(trimLeft(toBins(start), limit))).toEqual(parseBins(exp));
  });
});

describe('mergeBins (§7.4 merge)', () => {
  it.each([
    ['1:3', '1:2', SKETCH_BIN_LIMIT, '1:5'],
    ['1:max-1', '1:max-2', SKETCH_BIN_LIMIT, '1:max-3 1:max'],
    ['1:1 2:1 3:1', '5:1 6:1 10:1', SKETCH_BIN_LIMIT, '1:1 2:1 3:1 5:1 6:1 10:1'],
    ['0:1 1:1 2:1 3:1 4:1 5:1 6:1 7:1 8:1 9:1 10:1', '0:1 1:1 2:1 3:1 4:1 5:1 6:1 7:1 8:1 9:1', 3, '8:18 9:2 10:1'],
  ])('%s ∪ %s (limit %p) = %s', (s, o, limit, exp) => {
    expect(show(mergeBins(toBins(s), toBins(o), limit))).toEqual(parseBins(exp));
  });
});
