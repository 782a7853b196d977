import type { SampleOrigin } from '@agentkit/aggregator';
import { decodeLatin1Bytes, GenerationCache, type Keyed } from './generation-cache.js';

const HOST_PREFIX = 'host:';
const ENTITY_ID_PREFIX = 'dd.internal.entity_id:';
const CARDINALITY_PREFIX = 'dd.internal.card:';
const JMX_CHECK_NAME_PREFIX = 'dd.internal.jmx_check_name:';

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
    this.none = Object.freeze({ raw: '', clientTags: Object.freeze([]), tags: this.#extraTags, host: undefined, origin: undefined });
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
    return raw.length === 0 ? this.none : this.#create(raw);
  }

  public get size(): number {
    return this.#cache.size;
  }

  /** True while more distinct tag strings cycle than the cache holds: only a sample is admitted. */
  public get sampling(): boolean {
    return this.#cache.thrashing;
  }

  #create(raw: string): TagEntry {
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
    });
    this.#cache.set(entry);
    return entry;
  }
}
