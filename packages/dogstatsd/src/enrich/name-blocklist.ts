/**
 * `statsd_metric_blocklist` (or `metric_filterlist`): the metric names the server drops. Exact
 * names are a Set. Prefixes are kept sorted with every entry that starts with another one
 * removed, so at most one entry can be a prefix of a name, and it is the greatest entry not
 * above the name: one binary search (the Agent's `blocklist.go` does the same). The parser asks
 * once per distinct raw name (the answer is kept in the name cache), not once per line.
 */
export class NameBlocklist {
  readonly #exact: ReadonlySet<string>;
  readonly #prefixes: readonly string[];
  readonly #matchPrefix: boolean;

  public constructor(names: readonly string[], matchPrefix: boolean) {
    this.#matchPrefix = matchPrefix;
    if (!matchPrefix) {
      this.#exact = new Set(names);
      this.#prefixes = [];
      return;
    }
    this.#exact = new Set();
    // Any lexicographic order works (here UTF-16 code units, the order of `<` used by has()).
    const sorted = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const kept: string[] = [];
    for (const name of sorted) {
      const last = kept[kept.length - 1];
      if (last === undefined || !name.startsWith(last)) kept.push(name);
    }
    this.#prefixes = kept;
  }

  /** No names: nothing is ever dropped. */
  public get empty(): boolean {
    return this.#exact.size === 0 && this.#prefixes.length === 0;
  }

  /** Entries in effect (prefix mode: after removing entries another one already covers). */
  public get size(): number {
    return this.#matchPrefix ? this.#prefixes.length : this.#exact.size;
  }

  public get matchPrefix(): boolean {
    return this.#matchPrefix;
  }

  /** Whether samples named `name` are dropped. */
  public has(name: string): boolean {
    if (!this.#matchPrefix) return this.#exact.has(name);
    const prefixes = this.#prefixes;
    // The greatest entry <= name: any entry that is a prefix of name sorts at or before it, and
    // no entry can sit between that prefix and name without starting with it (removed above).
    let lo = 0;
    let hi = prefixes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((prefixes[mid] as string) <= name) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && name.startsWith(prefixes[lo - 1] as string);
  }
}
