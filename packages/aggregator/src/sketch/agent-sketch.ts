import type { Dogsketch } from '@agentkit/serializer';
import { binCount, binKey, insertKeyCounts, insertSortedKeys, mergeBins, type Bins } from './bin-store.js';
import { roundHalfEven } from './go-math.js';
import { SKETCH_BIN_LIMIT, SKETCH_BUFFER_CAP, SKETCH_GAMMA, sketchKey, sketchKeyValue } from './sketch-config.js';

const NO_BINS: Bins = [];
// Keys are sorted in this shared scratch (the process is single-threaded): a typed-array sort
// is numeric without a comparator, several times faster than Array#sort with one.
const SORT_SCRATCH = new Int16Array(SKETCH_BUFFER_CAP);

/** A {@link Dogsketch} a flush refills for each context ({@link AgentSketch.finishInto}). */
export interface ReusedDogsketch extends Dogsketch {
  ts: number;
  cnt: number;
  min: number;
  max: number;
  avg: number;
  sum: number;
  readonly k: number[];
  readonly n: number[];
}

/**
 * The Datadog Agent's distribution sketch (`quantile.Agent` + `Sketch` + `summary.Summary`,
 * classic uint16 bins), bit-compatible with it: same keys, same bins, same summary floats in
 * the same arrival order (agent-sketch.md §10). Values must be finite: the caller drops NaN
 * and ±Inf as the Agent's aggregator does.
 */
export class AgentSketch {
  #cnt = 0;
  #min = 0;
  #max = 0;
  #sum = 0;
  #avg = 0;
  /** Sum of the bin counts (Go's `sparseStore.count`), used by `quantile`. */
  #binTotal = 0;
  #bins: Bins = NO_BINS;
  /**
   * Unweighted keys not yet merged into the bins: none, one key (most sketches get one sample per
   * bucket: no array, where a one-slot array costs ~56 bytes), then an array from the second.
   */
  #buf: number | number[] | undefined;

  /** The Agent's `Insert(v, sampleRate)`: weight trunc(1/rate); a rate outside (0, 1] counts as 1. */
  public insert(value: number, sampleRate = 1): void {
    const key = sketchKey(value);
    if (!(sampleRate > 0 && sampleRate <= 1)) sampleRate = 1;
    if (sampleRate === 1) {
      this.#insertSummary(value);
      const buf = this.#buf;
      // The first key alone, as HistogramMetric keeps its first value; the array from the second
      // (SKETCH_BUFFER_CAP is over 2, so neither fills the buffer).
      if (buf === undefined) {
        this.#buf = key;
        return;
      }
      if (typeof buf === 'number') {
        this.#buf = [buf, key];
        return;
      }
      buf.push(key);
      if (buf.length < SKETCH_BUFFER_CAP) return;
      this.#flush();
      return;
    }
    const weight = 1 / sampleRate;
    const count = Math.trunc(weight);
    this.#mergeSummary(count, weight * value, value, value, value);
    this.#flush();
    this.#insertCounts([key], [count]);
  }

  /** The Agent's `InsertInterpolate` (histogram buckets); not used by DogStatsD, kept for parity. */
  public insertInterpolate(lower: number, upper: number, count: number): void {
    const first = sketchKey(lower);
    const last = sketchKey(upper);
    if (last < first) throw new RangeError('explicit bucket histogram: non-monotonic boundaries');
    const keys: number[] = [];
    const counts: number[] = [];
    let whatsLeft = count;
    const distance = upper - lower;
    let startKey = first;
    let lowerB = sketchKeyValue(first);
    let remainder = 0;
    for (let endKey = first + 1; endKey <= last && whatsLeft > 0; endKey++) {
      const upperB = sketchKeyValue(endKey);
      const fkn = ((upperB - lowerB) / distance) * count;
      if (fkn > 1) remainder += fkn - Math.trunc(fkn);
      let kn = Math.trunc(fkn);
      if (remainder > 1) {
        kn++;
        remainder--;
      }
      if (kn > 0) {
        if (kn > whatsLeft) kn = whatsLeft;
        this.#mergeSummary(kn, kn * lowerB, lowerB, lowerB, lowerB);
        keys.push(startKey);
        counts.push(kn);
        whatsLeft -= kn;
        startKey = endKey;
        lowerB = upperB;
      }
    }
    if (whatsLeft > 0) {
      const v = sketchKeyValue(startKey);
      this.#mergeSummary(whatsLeft, whatsLeft * v, v, v, v);
      keys.push(startKey);
      counts.push(whatsLeft);
    }
    this.#flush();
    this.#insertCounts(keys, counts);
  }

  /** Go's `Sketch.Merge`: `other`'s summary and bins merged into this one (other is flushed, not changed). */
  public merge(other: AgentSketch): void {
    this.#flush();
    other.#flush();
    this.#mergeSummary(other.#cnt, other.#sum, other.#min, other.#max, other.#avg);
    this.#binTotal += other.#binTotal;
    this.#bins = mergeBins(this.#bins, other.#bins, SKETCH_BIN_LIMIT);
  }

  /** Unweighted keys waiting to be merged into the bins (Go's `len(a.Buf)`). */
  public get bufferedKeys(): number {
    const buf = this.#buf;
    return buf === undefined ? 0 : typeof buf === 'number' ? 1 : buf.length;
  }

  /** Sum of the bin counts, without flushing the buffer (Go's `Sketch.count`). */
  public get binTotal(): number {
    return this.#binTotal;
  }

  /** True when nothing was inserted (the Agent then emits no point). */
  public isEmpty(): boolean {
    return this.#cnt === 0 && this.bufferedKeys === 0;
  }

  /** The bucket as the sketches payload carries it (the Agent's `Finish()` + `Cols()`), or undefined when empty. */
  public finish(ts: number): Dogsketch | undefined {
    this.#flush();
    if (this.isEmpty()) return undefined;
    const bins = this.#bins;
    const k = new Int32Array(bins.length);
    const n = new Uint32Array(bins.length);
    for (let i = 0; i < bins.length; i++) {
      k[i] = binKey(bins[i] as number);
      n[i] = binCount(bins[i] as number);
    }
    return { ts, cnt: this.#cnt, min: this.#min, max: this.#max, avg: this.#avg, sum: this.#sum, k, n };
  }

  /**
   * {@link finish} written into `into` (its `k` and `n` arrays refilled, trimmed in place), for a
   * flush that reuses its points; the same values. False, `into` untouched, when empty.
   */
  public finishInto(ts: number, into: ReusedDogsketch): boolean {
    this.#flush();
    if (this.isEmpty()) return false;
    const bins = this.#bins;
    const { k, n } = into;
    for (let i = 0; i < bins.length; i++) {
      k[i] = binKey(bins[i] as number);
      n[i] = binCount(bins[i] as number);
    }
    // Trimmed in place (a sketch that has a count has a bin: never to 0, which drops the storage).
    if (k.length > bins.length) k.length = n.length = bins.length;
    into.ts = ts;
    into.cnt = this.#cnt;
    into.min = this.#min;
    into.max = this.#max;
    into.avg = this.#avg;
    into.sum = this.#sum;
    return true;
  }

  /** Bins as [key, count] pairs in store order (for tests and debugging). */
  public bins(): [number, number][] {
    this.#flush();
    return this.#bins.map((b) => [binKey(b), binCount(b)]);
  }

  /** Go's `Sketch.Quantile` (the Agent never calls it; percentiles are computed by the intake). */
  public quantile(q: number): number {
    this.#flush();
    if (this.#binTotal === 0) return 0;
    if (q <= 0) return this.#min;
    if (q >= 1) return this.#max;
    const rWant = roundHalfEven(q * (this.#binTotal - 1));
    let n = 0;
    for (let i = 0; i < this.#bins.length; i++) {
      const bin = this.#bins[i] as number;
      const count = binCount(bin);
      n += count;
      if (n <= rWant) continue;
      const weight = (n - rWant) / count;
      let vLow = sketchKeyValue(binKey(bin));
      const vHigh = vLow * SKETCH_GAMMA;
      if (i === 0) vLow = this.#min;
      return vLow * weight + vHigh * (1 - weight);
    }
    return this.#max;
  }

  /** Go's `Summary.Insert`: running mean, in arrival order. */
  #insertSummary(v: number): void {
    if (v > this.#max || this.#cnt === 0) this.#max = v;
    if (v < this.#min || this.#cnt === 0) this.#min = v;
    this.#cnt++;
    this.#sum += v;
    this.#avg += (v - this.#avg) / this.#cnt;
  }

  /** Go's `Summary.Merge` (and `InsertN`, which merges a one-value summary). */
  #mergeSummary(cnt: number, sum: number, min: number, max: number, avg: number): void {
    if (cnt === 0) return;
    if (this.#cnt === 0) {
      this.#cnt = cnt;
      this.#sum = sum;
      this.#min = min;
      this.#max = max;
      this.#avg = avg;
      return;
    }
    if (max > this.#max) this.#max = max;
    if (min < this.#min) this.#min = min;
    this.#cnt += cnt;
    this.#sum += sum;
    this.#avg = this.#avg + ((avg - this.#avg) * cnt) / this.#cnt;
  }

  #insertCounts(keys: number[], counts: number[]): void {
    for (const c of counts) this.#binTotal += c;
    if (keys.length > 1) sortPairsStable(keys, counts);
    this.#bins = insertKeyCounts(this.#bins, keys, counts, SKETCH_BIN_LIMIT);
  }

  /** Go's `Agent.flush`: merges the buffered keys into the bins. */
  #flush(): void {
    const buf = this.#buf;
    if (buf === undefined) return;
    let sorted: ArrayLike<number>;
    let n: number;
    if (typeof buf === 'number') {
      SORT_SCRATCH[0] = buf;
      n = 1;
      sorted = SORT_SCRATCH.subarray(0, 1);
    } else {
      n = buf.length;
      if (n === 0) return;
      for (let i = 0; i < n; i++) SORT_SCRATCH[i] = buf[i] as number;
      sorted = SORT_SCRATCH.subarray(0, n).sort();
    }
    this.#binTotal += n;
    this.#bins = insertSortedKeys(this.#bins, sorted, SKETCH_BIN_LIMIT);
    // Go sets Buf = nil: drop the array so an idle sketch holds no buffer.
    this.#buf = undefined;
  }
}

/** Insertion sort of (key, count) pairs by key, ties in insertion order (InsertInterpolate gives them sorted already). */
function sortPairsStable(keys: number[], counts: number[]): void {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as number;
    const c = counts[i] as number;
    let j = i - 1;
    while (j >= 0 && (keys[j] as number) > k) {
      keys[j + 1] = keys[j] as number;
      counts[j + 1] = counts[j] as number;
      j--;
    }
    keys[j + 1] = k;
    counts[j + 1] = c;
  }
}
