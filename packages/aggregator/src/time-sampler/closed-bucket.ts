import type { Context } from '../context/context.js';

/**
 * One closed bucket, detached from its sampler: its start and each context's aggregate, position
 * by position in arrival order (a context once). A flush empties the positions it visited.
 */
export interface ClosedBucket<T> {
  readonly startSec: number;
  readonly contexts: (Context | undefined)[];
  readonly entries: (T | undefined)[];
}

/**
 * Where each context sits in a closed bucket, for a flush that closed several (a context's
 * entries in later buckets are taken with it); undefined for a flush of one bucket, the usual
 * case, which needs none. Built when the flush begins and dropped with it.
 */
export type BucketIndexes = readonly Map<Context, number>[] | undefined;

/** The indexes of a flush's buckets (see {@link BucketIndexes}). */
export function indexesOf<T>(buckets: readonly ClosedBucket<T>[]): BucketIndexes {
  if (buckets.length < 2) return undefined;
  return buckets.map(({ contexts }) => {
    const index = new Map<Context, number>();
    for (let i = 0; i < contexts.length; i++) index.set(contexts[i] as Context, i);
    return index;
  });
}

/**
 * `ctx`'s entry in `bucket` (the `j`th), taken: its position emptied so the walk of that bucket
 * skips it. Undefined when it has none there.
 */
export function takeLater<T>(bucket: ClosedBucket<T>, indexes: BucketIndexes, j: number, ctx: Context): T | undefined {
  const at = indexes?.[j]?.get(ctx);
  if (at === undefined) return undefined;
  const entry = bucket.entries[at];
  bucket.entries[at] = undefined;
  bucket.contexts[at] = undefined;
  return entry;
}
