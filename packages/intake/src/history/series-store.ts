import type { LocalSeries, LocalSeriesType } from '../local-intake/local-intake.def.js';
import { identityHash } from './context-hash.js';
import { PointList } from './point-list.js';

/** One series as a payload carries it, already in the store's terms. */
export interface IncomingSeries {
  readonly metric: string;
  readonly tags: readonly string[];
  readonly host: string;
  readonly type: LocalSeriesType;
  readonly interval: number;
  readonly points: Iterable<{ readonly ts: number; readonly value: number }>;
}

/** What one `add` did, for the intake's counters. */
export interface SeriesAddResult {
  /** False when the series was new and the context limit was reached: nothing was kept. */
  readonly stored: boolean;
  readonly pointsStored: number;
  /** Points that were not numbers (v1 `null`, NaN, ±Inf): not kept. */
  readonly pointsInvalid: number;
  /** Old points pushed out by `maxPoints`. */
  readonly pointsEvicted: number;
}

interface SeriesPoint {
  readonly ts: number;
  readonly value: number;
}

interface SeriesEntry extends KeyLayout {
  readonly type: LocalSeriesType;
  interval: number;
  readonly points: PointList<SeriesPoint>;
}

export interface HistoryLimits {
  readonly maxPoints: number;
  readonly maxContexts: number;
}

/**
 * Series by identity (metric + sorted tags + host + type), v1 and v2 alike. A second point at
 * the same timestamp replaces the first, except for counts, where it adds to it: a count is
 * what happened in the interval, so two reports of one interval (a late sample flushed again)
 * both happened.
 */
export class SeriesStore {
  readonly #entries = new Map<string, SeriesEntry>();
  /** `identityHash` of every entry: a scanned series whose hash is not here is a new context. */
  readonly #hashes = new Set<number>();
  readonly #limits: HistoryLimits;

  public constructor(limits: HistoryLimits) {
    this.#limits = limits;
  }

  /** Series kept. */
  public get size(): number {
    return this.#entries.size;
  }

  /** True when a series of this `identityHash` would be refused, undecoded: it is new (no entry has the hash) and the store is full. */
  public refusesNew(hash: number): boolean {
    return this.full && !this.#hashes.has(hash);
  }

  /** No new context fits (and none ever will: entries are never removed). */
  public get full(): boolean {
    return this.#entries.size >= this.#limits.maxContexts;
  }

  public add(series: IncomingSeries): SeriesAddResult {
    const tags = [...series.tags].sort();
    const key = identity(series.metric, tags, series.host, series.type);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= this.#limits.maxContexts) return { stored: false, pointsStored: 0, pointsInvalid: 0, pointsEvicted: 0 };
      const merge = series.type === 'count' ? sumPoints : lastPoint;
      entry = {
        ...keyLayout(key, series.metric, series.host, tags),
        type: series.type,
        interval: series.interval,
        points: new PointList(this.#limits.maxPoints, merge),
      };
      this.#entries.set(key, entry);
      this.#hashes.add(identityHash(key));
    }
    entry.interval = series.interval;
    let pointsStored = 0;
    let pointsInvalid = 0;
    let pointsEvicted = 0;
    for (const point of series.points) {
      if (!Number.isFinite(point.value) || !Number.isFinite(point.ts)) {
        pointsInvalid++;
        continue;
      }
      pointsEvicted += entry.points.add({ ts: point.ts, value: point.value });
      pointsStored++;
    }
    return { stored: true, pointsStored, pointsInvalid, pointsEvicted };
  }

  /** Every series (of one metric name when given), in the order they were first seen. */
  public list(metric?: string): LocalSeries[] {
    const out: LocalSeries[] = [];
    for (const e of this.#entries.values()) {
      if (metric !== undefined && !hasMetric(e, metric)) continue;
      const { host, tags } = keyParts(e, e.type);
      out.push({ metric: metricOf(e), tags, host, type: e.type, interval: e.interval, points: e.points.toArray().map((p) => [p.ts, p.value] as const) });
    }
    return out;
  }
}

/** NUL never appears in a metric name, tag or host the agent sends, so the key is unambiguous. */
export function identity(metric: string, sortedTags: readonly string[], host: string, type: string): string {
  return `${metric}\0${type}\0${host}\0${sortedTags.join('\0')}`;
}

/**
 * The key as one flat string: a template literal makes a tree of its parts (a rope), which a
 * stored entry would keep whole (~70 bytes more per context at 5 tags). Reading a character
 * makes V8 flatten it in place.
 */
export function flat(key: string): string {
  key.charCodeAt(0);
  return key;
}

/**
 * An entry keeps its key and where its parts lie in it, not the parts: a context's strings
 * (metric, host, five tags and their array) cost more than the key that already holds them.
 * The parts are cut from the key when the history is read. Tags that hold a NUL (never from an
 * agent) could not be cut back apart: those few are kept as they came.
 */
export interface KeyLayout {
  readonly key: string;
  readonly metricLength: number;
  readonly hostLength: number;
  readonly tagCount: number;
  readonly tagsWithNul: readonly string[] | undefined;
}

export function keyLayout(key: string, metric: string, host: string, sortedTags: readonly string[]): KeyLayout {
  const tagsWithNul = sortedTags.some((t) => t.includes('\0')) ? sortedTags : undefined;
  return { key: flat(key), metricLength: metric.length, hostLength: host.length, tagCount: sortedTags.length, tagsWithNul };
}

export function metricOf(layout: KeyLayout): string {
  return layout.key.slice(0, layout.metricLength);
}

export function hasMetric(layout: KeyLayout, metric: string): boolean {
  return metric.length === layout.metricLength && layout.key.startsWith(metric);
}

/** The host and sorted tags a key was made of (`type` as the entry was stored under). */
export function keyParts(layout: KeyLayout, type: string): { host: string; tags: readonly string[] } {
  const hostStart = layout.metricLength + 1 + type.length + 1;
  const hostEnd = hostStart + layout.hostLength;
  const host = layout.key.slice(hostStart, hostEnd);
  if (layout.tagsWithNul !== undefined) return { host, tags: layout.tagsWithNul };
  return { host, tags: layout.tagCount === 0 ? [] : layout.key.slice(hostEnd + 1).split('\0') };
}

function sumPoints(a: SeriesPoint, b: SeriesPoint): SeriesPoint {
  return { ts: a.ts, value: a.value + b.value };
}

function lastPoint(_a: SeriesPoint, b: SeriesPoint): SeriesPoint {
  return b;
}
