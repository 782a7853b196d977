/**
 * The latest points of one series, ascending by timestamp, at most `maxPoints`. Points come
 * almost always in order (one bucket after the other), so the common insert is a push; a late
 * point is placed by binary search, and one at an existing timestamp is merged with it.
 */
export class PointList<P extends { readonly ts: number }> {
  readonly #points: P[] = [];
  readonly #maxPoints: number;
  readonly #merge: (existing: P, incoming: P) => P;

  /** `merge` decides what a second point at the same timestamp becomes. */
  public constructor(maxPoints: number, merge: (existing: P, incoming: P) => P) {
    this.#maxPoints = Math.max(1, Math.floor(maxPoints));
    this.#merge = merge;
  }

  public get length(): number {
    return this.#points.length;
  }

  /** Adds a point; returns how many old points it pushed out (0 or 1). */
  public add(point: P): number {
    const points = this.#points;
    const last = points.at(-1);
    if (last === undefined || point.ts > last.ts) {
      points.push(point);
    } else {
      const at = lowerBound(points, point.ts);
      const found = points[at];
      if (found !== undefined && found.ts === point.ts) points[at] = this.#merge(found, point);
      else if (at === 0 && points.length >= this.#maxPoints) return 1; // older than everything kept
      else points.splice(at, 0, point);
    }
    if (points.length <= this.#maxPoints) return 0;
    points.shift();
    return 1;
  }

  /** Oldest first; the array is the caller's, the points are shared (treat them as immutable). */
  public toArray(): P[] {
    return this.#points.slice();
  }
}

function lowerBound<P extends { readonly ts: number }>(points: readonly P[], ts: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as P).ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
