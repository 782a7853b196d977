import type { SampleOrigin } from '@agentkit/aggregator';
import { decodeLatin1Bytes, GenerationCache, type Keyed } from './generation-cache.js';

const HOST_PREFIX = 'host:';
const ENTITY_ID_PREFIX = 'dd.internal.entity_id:';
const CARDINALITY_PREFIX = 'dd.internal.card:';
const JMX_CHECK_NAME_PREFIX = 'dd.internal.jmx_check_name:';
/** Every tag the enrichment removes or reads, but `host:`, starts with this. */
const INTERNAL_PREFIX = 'dd.internal.';

/** Per generation; a raw tag string costs its tags twice (decoded array + key). */
const DEFAULT_MAX_ENTRIES = 32_768;
const DEFAULT_MAX_CHARS = 8 * 1024 * 1024;

/** Everything enrichment derives from one raw tag string (`a:b,host:x,c`), computed once. */
export interface TagEntry extends Keyed {
  /** Client tags without the special ones, decoded, in order. Frozen. */
  readonly clientTags: readonly string[];
  /** `clientTags` + `dogstatsd_tags`: what samples carry. Frozen, shared by every sample. */
  readonly tags: readonly string[];
  /** From the last `host:` tag; undefined when there is none. */
  readonly host: string | undefined;
  /** `dd.internal.entity_id` / `dd.internal.card`, when present; frozen. */
  readonly origin: SampleOrigin | undefined;
  /**
   * True for an entry kept while the cache samples, of a raw string that is already the
   * aggregator's key for its tags (see {@link isPlainSortedTags}; no `dogstatsd_tags`): it holds
   * the string only, and a line that can (`KeyedSample`) sends the string itself. Its tag arrays
   * are split when first read (no host, no origin).
   */
  readonly keyed: boolean;
}

const NO_TAGS: readonly string[] = Object.freeze([]);

/**
 * A {@link TagEntry} of the raw string alone (`keyed`): ~50 bytes besides the string, where an
 * enriched entry holds a frozen array and a string per tag (~300 bytes for 5 tags).
 */
class KeyedTagEntry implements TagEntry {
  public readonly raw: string;
  #tags: readonly string[] | undefined;

  public constructor(raw: string) {
    this.raw = raw;
  }

  public get keyed(): true {
    return true;
  }

  public get clientTags(): readonly string[] {
    // Plain and sorted: ASCII only (nothing to decode), no tag the enrichment removes.
    return (this.#tags ??= this.raw.length === 0 ? NO_TAGS : Object.freeze(this.raw.split(',')));
  }

  public get tags(): readonly string[] {
    return this.clientTags;
  }

  public get host(): undefined {
    return undefined;
  }

  public get origin(): undefined {
    return undefined;
  }
}

/**
 * Enriches raw tag strings: splits them, removes `host:`, `dd.internal.entity_id:`,
 * `dd.internal.card:` and `dd.internal.jmx_check_name:` (keeping the first three as host and
 * origin), appends `dogstatsd_tags`, and caches the result per raw string so every sample
 * with the same raw string shares one frozen array.
 */
export class TagCache {
  readonly #cache: GenerationCache<TagEntry>;
  readonly #extraTags: readonly string[];
  /** The entry of a message without a `#` field. */
  public readonly none: TagEntry;

  public constructor(extraTags: readonly string[], maxEntries = DEFAULT_MAX_ENTRIES, maxChars = DEFAULT_MAX_CHARS) {
    this.#cache = new GenerationCache(maxEntries, maxChars);
    this.#extraTags = Object.freeze([...new Set(extraTags)].sort());
    this.none = Object.freeze({ raw: '', clientTags: NO_TAGS, tags: this.#extraTags, host: undefined, origin: undefined, keyed: false });
  }

  /**
   * The entry for a raw tag string (bytes as latin1 chars; a slice of a packet string is fine:
   * it is only used to look up), or undefined when it is not cached yet.
   */
  public get(raw: string): TagEntry | undefined {
    return raw.length === 0 ? this.none : this.#cache.get(raw);
  }

  /** Enriches and caches a raw tag string; `raw` must be a flat copy, never a packet slice. */
  public create(raw: string): TagEntry {
    if (raw.length === 0) return this.none;
    const entry = this.#build(raw);
    this.#cache.set(entry);
    return entry;
  }

  /**
   * Draws whether a new raw tag string would be kept (always, unless {@link sampling}). When it
   * would not, a caller that can do without the entry skips building it; else {@link createAdmitted}.
   */
  public admitsNew(): boolean {
    return this.#cache.admits();
  }

  /** {@link create} for a string {@link admitsNew} admitted: kept without drawing again. */
  public createAdmitted(raw: string): TagEntry {
    if (raw.length === 0) return this.none;
    const entry = this.#build(raw);
    this.#cache.add(entry);
    return entry;
  }

  /**
   * Keeps, for a string {@link admitsNew} admitted while {@link sampling}, an entry of the raw
   * string alone (`keyed`). `raw` must be a flat copy, plain and sorted ({@link isPlainSortedTags}),
   * and no `dogstatsd_tags` configured ({@link noExtraTags}).
   */
  public addKeyed(raw: string): TagEntry {
    const entry = new KeyedTagEntry(raw);
    this.#cache.add(entry);
    return entry;
  }

  /** True when no `dogstatsd_tags` are appended: a raw string's tags are then the sample's. */
  public get noExtraTags(): boolean {
    return this.#extraTags.length === 0;
  }

  public get size(): number {
    return this.#cache.size;
  }

  /** True while more distinct tag strings cycle than the cache holds: only a sample is admitted. */
  public get sampling(): boolean {
    return this.#cache.thrashing;
  }

  #build(raw: string): TagEntry {
    const clientTags: string[] = [];
    let host: string | undefined;
    let entityId: string | undefined;
    let cardinality: string | undefined;
    let start = 0;
    while (start <= raw.length) {
      let end = raw.indexOf(',', start);
      if (end === -1) end = raw.length;
      if (end > start) {
        const tag = decodeLatin1Bytes(raw.slice(start, end));
        if (tag.startsWith(HOST_PREFIX)) host = tag.slice(HOST_PREFIX.length);
        else if (tag.startsWith(ENTITY_ID_PREFIX)) entityId = tag.slice(ENTITY_ID_PREFIX.length);
        else if (tag.startsWith(CARDINALITY_PREFIX)) cardinality ??= tag.slice(CARDINALITY_PREFIX.length);
        else if (!tag.startsWith(JMX_CHECK_NAME_PREFIX)) clientTags.push(tag);
      }
      start = end + 1;
    }
    let origin: SampleOrigin | undefined;
    if (entityId !== undefined || cardinality !== undefined) {
      origin = Object.freeze({
        ...(entityId === undefined ? {} : { entityId }),
        ...(cardinality === undefined ? {} : { cardinality }),
      });
    }
    // An exact-size copy (a push-grown array reserves 17 slots), shared by `tags` when there are
    // no extra tags: the aggregator's context holds on to it while this entry is cached.
    const client = Object.freeze(clientTags.slice());
    const entry: TagEntry = Object.freeze({
      raw,
      clientTags: client,
      tags: this.#extraTags.length === 0 ? client : Object.freeze([...client, ...this.#extraTags]),
      host,
      origin,
      keyed: false,
    });
    return entry;
  }
}

/**
 * Whether [start, end) of `str` (a latin1 view of a packet) needs no enrichment and is already
 * the aggregator's key for its tags: ASCII only (nothing to decode), no empty tag, no `host:` or
 * `dd.internal.` tag, and the tags in strictly increasing order (sorted, no duplicates, as the
 * aggregator's `SortUniq` would leave them). Allocates nothing.
 */
export function isPlainSortedTags(str: string, start: number, end: number): boolean {
  let prevStart = -1;
  let prevEnd = -1;
  let tagStart = start;
  for (let i = start; i <= end; i++) {
    const c = i < end ? str.charCodeAt(i) : 44;
    if (c >= 0x80) return false;
    if (c !== 44 /* , */) continue;
    const length = i - tagStart;
    if (length === 0) return false;
    if (length >= HOST_PREFIX.length && str.startsWith(HOST_PREFIX, tagStart)) return false;
    if (length >= INTERNAL_PREFIX.length && str.startsWith(INTERNAL_PREFIX, tagStart)) return false;
    if (prevStart >= 0 && compareRanges(str, prevStart, prevEnd, tagStart, i) >= 0) return false;
    prevStart = tagStart;
    prevEnd = i;
    tagStart = i + 1;
  }
  return true;
}

/** Code-unit order of two ranges of one string (as `<` orders strings). */
function compareRanges(str: string, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const n = Math.min(aLength, bLength);
  for (let k = 0; k < n; k++) {
    const d = str.charCodeAt(aStart + k) - str.charCodeAt(bStart + k);
    if (d !== 0) return d;
  }
  return aLength - bLength;
}
