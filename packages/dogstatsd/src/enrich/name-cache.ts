import type { MetricMapper } from './mapper.js';
import type { NameBlocklist } from './name-blocklist.js';
import { decodeLatin1Bytes, GenerationCache, type Keyed } from './generation-cache.js';
import type { TagEntry } from './tag-cache.js';

const MAX_NAME_CHARS = 4 * 1024 * 1024;
const MAX_TAG_COMBINATIONS = 1024;

/** A metric name as received, and what enrichment makes of it. */
export interface NameEntry extends Keyed {
  /** Decoded, mapped, then namespaced. */
  readonly name: string;
  /** Tags added by a mapper mapping; undefined when no mapping matched. */
  readonly mapperTags: readonly string[] | undefined;
  /** `statsd_metric_blocklist` matches the final name: its samples are dropped (counted). */
  readonly blocked: boolean;
  /**
   * `histogram_copy_to_distribution`: the name of the distribution copied from histograms and
   * timings of this name (prefix + final name); undefined when the option is off.
   */
  readonly copyName: string | undefined;
  /** Only for mapped names: per tag entry, clientTags + mapperTags + dogstatsd_tags. */
  readonly combined: Map<TagEntry, readonly string[]> | undefined;
  /**
   * The tag entry this name came with last time. A name usually comes with the same tags, and
   * comparing one string is several times cheaper than a second map lookup (the hot path's
   * largest cost: V8 hashes a sliced string key on every lookup).
   */
  lastTags: TagEntry | undefined;
}

export interface NameCacheOptions {
  /** `statsd_metric_namespace`, with its trailing `.`; empty for none. */
  readonly namespace: string;
  readonly namespaceBlacklist: readonly string[];
  /** undefined when no profile is configured. */
  readonly mapper: MetricMapper | undefined;
  /** undefined (or empty) when nothing is blocked. */
  readonly blocklist: NameBlocklist | undefined;
  /** `histogram_copy_to_distribution_prefix` when `histogram_copy_to_distribution`, else undefined. */
  readonly histogramCopyPrefix: string | undefined;
  readonly extraTags: readonly string[];
  /** `dogstatsd_string_interner_size`, per generation. */
  readonly maxEntries: number;
}

/**
 * Resolves raw metric names once each: decoding, `dogstatsd_mapper_profiles`, then
 * `statsd_metric_namespace` (as the Agent does: the mapper sees the client's name, the
 * blacklist the mapped one), then `statsd_metric_blocklist` on the final name (the Agent's
 * `enrichMetricSample`). The resulting name strings are interned by the cache, so the per-line
 * cost of the blocklist and of the histogram copy's name is one field read.
 */
export class NameCache {
  readonly #cache: GenerationCache<NameEntry>;
  readonly #options: NameCacheOptions;

  public constructor(options: NameCacheOptions) {
    this.#options = options;
    this.#cache = new GenerationCache(options.maxEntries, MAX_NAME_CHARS);
  }

  /** The entry of a raw name (a slice of a packet is fine: it is only used to look up). */
  public get(raw: string): NameEntry | undefined {
    return this.#cache.get(raw);
  }

  /** Resolves and caches a name missing from the cache; `raw` must be a flat copy. */
  public create(raw: string): NameEntry {
    return this.#create(raw);
  }

  /** The tags of a sample named `name` carrying `tags`: shared arrays, never built per sample. */
  public tagsFor(name: NameEntry, tags: TagEntry): readonly string[] {
    const combined = name.combined;
    if (combined === undefined) return tags.tags;
    let out = combined.get(tags);
    if (out === undefined) {
      if (combined.size >= MAX_TAG_COMBINATIONS) combined.clear();
      out = Object.freeze([...tags.clientTags, ...(name.mapperTags ?? []), ...this.#options.extraTags]);
      combined.set(tags, out);
    }
    return out;
  }

  #create(raw: string): NameEntry {
    const { namespace, namespaceBlacklist, mapper, blocklist, histogramCopyPrefix } = this.#options;
    let name = decodeLatin1Bytes(raw);
    const mapped = mapper?.map(name);
    if (mapped !== undefined) name = mapped.name;
    if (namespace !== '' && !namespaceBlacklist.some((prefix) => name.startsWith(prefix))) name = namespace + name;
    const entry: NameEntry = {
      raw,
      name,
      mapperTags: mapped?.tags,
      blocked: blocklist !== undefined && blocklist.has(name),
      copyName: histogramCopyPrefix === undefined ? undefined : histogramCopyPrefix + name,
      combined: mapped === undefined ? undefined : new Map(),
      lastTags: undefined,
    };
    this.#cache.set(entry);
    return entry;
  }
}
