import type { Context } from '../context/context.js';
import type { ClosedBucket } from './closed-bucket.js';

/**
 * One open bucket of a time sampler (series or sketches): its contexts and their aggregates, side
 * by side in two arrays in arrival order (16 bytes a context, where a Map entry costs ~40 and its
 * table doubles in V8's large-object space). Most samples find their aggregate through the
 * sampler's `ContextSlots` (the context's newest bucket); only the others (a late sample into an
 * older open bucket, a context sampled as both a series and a sketch) need an index of the
 * bucket, built on the first such sample and kept up from then on.
 */
export class OpenBucket<T> {
  public readonly startSec: number;
  readonly #contexts: Context[] = [];
  readonly #entries: T[] = [];
  #index: Map<Context, number> | undefined;

  public constructor(startSec: number) {
    this.startSec = startSec;
  }

  /** Contexts in the bucket. */
  public get size(): number {
    return this.#contexts.length;
  }

  /** The contexts, in arrival order (read only: for a walk that does not add). */
  public get contexts(): readonly Context[] {
    return this.#contexts;
  }

  /** Adds `ctx`'s aggregate; the caller knows `ctx` has none in this bucket yet. */
  public add(ctx: Context, entry: T): void {
    this.#index?.set(ctx, this.#contexts.length);
    this.#contexts.push(ctx);
    this.#entries.push(entry);
  }

  /** `ctx`'s aggregate in this bucket, found by the bucket's index (made on first use: O(size) once). */
  public find(ctx: Context): T | undefined {
    let index = this.#index;
    if (index === undefined) {
      index = new Map();
      const contexts = this.#contexts;
      for (let i = 0; i < contexts.length; i++) index.set(contexts[i] as Context, i);
      this.#index = index;
    }
    const at = index.get(ctx);
    return at === undefined ? undefined : this.#entries[at];
  }

  /** Calls `visit` with each context and its aggregate, in arrival order. */
  public forEach(visit: (ctx: Context, entry: T) => void): void {
    const contexts = this.#contexts;
    const entries = this.#entries;
    for (let i = 0; i < contexts.length; i++) visit(contexts[i] as Context, entries[i] as T);
  }

  /** The bucket handed over as closed (its index dropped); this object is not used after. */
  public close(): ClosedBucket<T> {
    this.#index = undefined;
    return { startSec: this.startSec, contexts: this.#contexts, entries: this.#entries };
  }
}
