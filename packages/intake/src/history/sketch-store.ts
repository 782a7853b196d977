import type { DecodedDogsketch } from '@agentkit/serializer';
import type { LocalSketch, LocalSketchPoint } from '../local-intake/local-intake.def.js';
import { sketchQuantile } from '../sketch/sketch-quantile.js';
import { identityHash, SKETCH_TYPE } from './context-hash.js';
import { PointList } from './point-list.js';
import { hasMetric, identity, keyLayout, keyParts, metricOf, type HistoryLimits, type KeyLayout } from './series-store.js';

/** One distribution as the sketches payload carries it. */
export interface IncomingSketch {
  readonly metric: string;
  readonly tags: readonly string[];
  readonly host: string;
  readonly dogsketches: readonly DecodedDogsketch[];
}

export interface SketchAddResult {
  readonly stored: boolean;
  readonly pointsStored: number;
  readonly pointsEvicted: number;
}

interface SketchEntry extends KeyLayout {
  readonly points: PointList<LocalSketchPoint>;
}

/**
 * Distributions by identity (metric + sorted tags + host). Each bucket keeps its summary and
 * its p50/p95/p99, computed on arrival; the bins are not kept. A second bucket at the same
 * timestamp replaces the first (percentiles cannot be merged without the bins).
 */
export class SketchStore {
  readonly #entries = new Map<string, SketchEntry>();
  /** `identityHash` of every entry (see `SeriesStore`). */
  readonly #hashes = new Set<number>();
  readonly #limits: HistoryLimits;

  public constructor(limits: HistoryLimits) {
    this.#limits = limits;
  }

  public get size(): number {
    return this.#entries.size;
  }

  /** As `SeriesStore.refusesNew`. */
  public refusesNew(hash: number): boolean {
    return this.full && !this.#hashes.has(hash);
  }

  /** No new context fits (and none ever will: entries are never removed). */
  public get full(): boolean {
    return this.#entries.size >= this.#limits.maxContexts;
  }

  public add(sketch: IncomingSketch): SketchAddResult {
    const tags = [...sketch.tags].sort();
    const key = identity(sketch.metric, tags, sketch.host, SKETCH_TYPE);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= this.#limits.maxContexts) return { stored: false, pointsStored: 0, pointsEvicted: 0 };
      entry = {
        ...keyLayout(key, sketch.metric, sketch.host, tags),
        points: new PointList(this.#limits.maxPoints, latest),
      };
      this.#entries.set(key, entry);
      this.#hashes.add(identityHash(key));
    }
    let pointsEvicted = 0;
    for (const d of sketch.dogsketches) pointsEvicted += entry.points.add(sketchPoint(d));
    return { stored: true, pointsStored: sketch.dogsketches.length, pointsEvicted };
  }

  public list(metric?: string): LocalSketch[] {
    const out: LocalSketch[] = [];
    for (const e of this.#entries.values()) {
      if (metric !== undefined && !hasMetric(e, metric)) continue;
      const { host, tags } = keyParts(e, SKETCH_TYPE);
      out.push({ metric: metricOf(e), tags, host, points: e.points.toArray() });
    }
    return out;
  }
}

/** A bucket's summary as sent, and its quantiles from the bins. */
export function sketchPoint(d: DecodedDogsketch): LocalSketchPoint {
  return {
    ts: d.ts,
    count: d.cnt,
    min: d.min,
    max: d.max,
    avg: d.avg,
    sum: d.sum,
    p50: sketchQuantile(d, 0.5),
    p95: sketchQuantile(d, 0.95),
    p99: sketchQuantile(d, 0.99),
  };
}

/** One function for every entry (a closure per entry costs ~50 bytes a context). */
function latest(_a: LocalSketchPoint, b: LocalSketchPoint): LocalSketchPoint {
  return b;
}
