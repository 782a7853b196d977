import { SKETCH_MAX_BIN_COUNT } from './sketch-config.js';

/**
 * The classic Agent's sparse bin store (agent-sketch.md §3.3, §4), as pure functions over a
 * sorted array of bins. A bin is packed into one int32, `key * 65536 + count`: keys are int16
 * and counts uint16, so one small integer per bin instead of an object (8 bytes per bin).
 * Bins stay sorted by key; one key may own several bins when its count exceeds 65535, and
 * their order within the key is significant (it is what the Agent sends).
 */
export type Bins = number[];

const BIN_SHIFT = 65536;

export function packBin(key: number, count: number): number {
  return key * BIN_SHIFT + count;
}

export function binKey(bin: number): number {
  return bin >> 16;
}

export function binCount(bin: number): number {
  return bin & 0xffff;
}

/** Go's `appendSafe`: one bin, or the remainder first and then full 65535 bins. */
export function appendSafe(out: Bins, key: number, count: number): void {
  if (count <= SKETCH_MAX_BIN_COUNT) {
    out.push(packBin(key, count));
    return;
  }
  const remainder = count % SKETCH_MAX_BIN_COUNT;
  if (remainder !== 0) out.push(packBin(key, remainder));
  const full = Math.floor(count / SKETCH_MAX_BIN_COUNT);
  const fullBin = packBin(key, SKETCH_MAX_BIN_COUNT);
  for (let i = 0; i < full; i++) out.push(fullBin);
}

/**
 * Go's `trimLeft`: when there are more than `binLimit` bins, folds the lowest ones into the
 * lowest kept bin. Mass is conserved, so 65535-overflow bins (keyed with the removed keys) may
 * remain and the result may exceed the limit. May modify `bins`; use the returned array.
 */
export function trimLeft(bins: Bins, binLimit: number): Bins {
  if (binLimit === 0 || bins.length <= binLimit) return bins;
  const nRemove = bins.length - binLimit;
  const overflow: Bins = [];
  let missing = 0;
  for (let i = 0; i < nRemove; i++) {
    const bin = bins[i] as number;
    missing += binCount(bin);
    if (missing > SKETCH_MAX_BIN_COUNT) {
      overflow.push(packBin(binKey(bin), SKETCH_MAX_BIN_COUNT));
      missing -= SKETCH_MAX_BIN_COUNT;
    }
  }
  const kept = bins[nRemove] as number;
  const key = binKey(kept);
  let count = binCount(kept) + missing;
  let left = 0;
  if (count > SKETCH_MAX_BIN_COUNT) {
    left = count - SKETCH_MAX_BIN_COUNT;
    count = SKETCH_MAX_BIN_COUNT;
  }
  bins[nRemove] = packBin(key, count);
  if (left > 0) appendSafe(overflow, key, left);
  for (let i = nRemove; i < bins.length; i++) overflow.push(bins[i] as number);
  return overflow;
}

/**
 * Go's `sparseStore.insert`: merges sorted keys (each run of equal keys counts as one insert
 * of its length) into `bins`. Only the first bin of an existing key absorbs the run.
 */
export function insertSortedKeys(bins: Bins, keys: ArrayLike<number>, binLimit: number): Bins {
  const out: Bins = [];
  let b = 0;
  let j = 0;
  while (b < bins.length && j < keys.length) {
    const bin = bins[b] as number;
    const binK = binKey(bin);
    const key = keys[j] as number;
    if (binK < key) {
      out.push(bin);
      b++;
      continue;
    }
    let run = 1;
    while (j + run < keys.length && keys[j + run] === key) run++;
    if (binK > key) {
      appendSafe(out, key, run);
    } else {
      appendSafe(out, key, binCount(bin) + run);
      b++;
    }
    j += run;
  }
  while (b < bins.length) out.push(bins[b++] as number);
  while (j < keys.length) {
    const key = keys[j] as number;
    let run = 1;
    while (j + run < keys.length && keys[j + run] === key) run++;
    appendSafe(out, key, run);
    j += run;
  }
  return trimLeft(out, binLimit);
}

/**
 * Go's `sparseStore.insertCounts`: merges (key, count) pairs, sorted by key with ties in
 * insertion order. Unlike `insertSortedKeys`, each pair is its own run.
 */
export function insertKeyCounts(bins: Bins, keys: readonly number[], counts: readonly number[], binLimit: number): Bins {
  const out: Bins = [];
  let b = 0;
  let j = 0;
  while (b < bins.length && j < keys.length) {
    const bin = bins[b] as number;
    const binK = binKey(bin);
    const key = keys[j] as number;
    if (binK < key) {
      out.push(bin);
      b++;
    } else if (binK > key) {
      appendSafe(out, key, counts[j] as number);
      j++;
    } else {
      appendSafe(out, key, binCount(bin) + (counts[j] as number));
      b++;
      j++;
    }
  }
  while (b < bins.length) out.push(bins[b++] as number);
  for (; j < keys.length; j++) appendSafe(out, keys[j] as number, counts[j] as number);
  return trimLeft(out, binLimit);
}

/** Go's `sparseStore.merge`: the bins of `other` merged into a copy of `bins`, then trimmed. */
export function mergeBins(bins: Bins, other: Bins, binLimit: number): Bins {
  const out: Bins = [];
  let s = 0;
  for (const ob of other) {
    const key = binKey(ob);
    while (s < bins.length && binKey(bins[s] as number) < key) out.push(bins[s++] as number);
    if (s >= bins.length || binKey(bins[s] as number) > key) {
      out.push(ob);
    } else {
      appendSafe(out, key, binCount(ob) + binCount(bins[s] as number));
      s++;
    }
  }
  while (s < bins.length) out.push(bins[s++] as number);
  return trimLeft(out, binLimit);
}
