import type { Serie, SketchSeries } from './metrics.def.js';

/**
 * Makes items plain data for consumers that keep what they are handed (fakes, collectors,
 * tests): a serie or sketch series with a {@link Serie.joinedTags} property (set or not) is
 * copied, points included, with its tags split and without it; any other item is returned as it is. Items of one
 * context come one after another with the same joined string: they get one shared tags array.
 */
export class ItemDetacher {
  #lastJoined: string | undefined;
  #lastTags: readonly string[] = [];

  public detach<T extends Serie | SketchSeries>(item: T): T {
    // Present (even undefined) only on the items of a producer that may keep tags joined.
    if (!('joinedTags' in item)) return item;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) if (key !== 'joinedTags' && value !== undefined) copy[key] = value;
    // The producer may reuse the item and its points once the next one is pulled (a flush's cursor).
    copy['points'] = item.points.map(copyPoint);
    const joined = item.joinedTags;
    if (joined === undefined) {
      copy['tags'] = item.tags;
    } else {
      if (joined !== this.#lastJoined) {
        this.#lastJoined = joined;
        this.#lastTags = item.tags;
      }
      copy['tags'] = this.#lastTags;
    }
    return copy as unknown as T;
  }
}

/** A point (or Dogsketch) with its own arrays: a reused Dogsketch's `k` and `n` are refilled. */
function copyPoint(point: object): object {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(point)) copy[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  return copy;
}
