import { hostTags } from '@agentkit/config';
import { processStartEpochMs, type ConfigReader } from '@agentkit/core';
import type { Serie, SketchSeries } from '@agentkit/serializer';
import { aggregatorKeys } from '../config-keys.js';
import { sortUniq } from '../context/tag-set.js';
import type { HostTagProvider } from './host-tag-provider.def.js';

/**
 * Host tags until a deadline, then none: `expected_tags_duration` after the agent's start. The
 * Agent does this so metrics carry their host's tags before the backend has applied the host
 * metadata (a new host's first minutes); it anchors the window at the process start.
 */
export class ExpectedHostTags implements HostTagProvider {
  readonly #tags: readonly string[];
  readonly #deadlineMs: number;
  readonly #nowMs: () => number;

  /** `nowMs`: the wall clock, in ms since the epoch (Date.now unless a test drives it). */
  public constructor(tags: readonly string[], deadlineMs: number, nowMs: () => number = Date.now) {
    this.#tags = Object.freeze([...tags]);
    this.#deadlineMs = deadlineMs;
    this.#nowMs = nowMs;
  }

  public hostTags(): readonly string[] | undefined {
    return this.#tags.length > 0 && this.#nowMs() < this.#deadlineMs ? this.#tags : undefined;
  }
}

/**
 * The provider `expected_tags_duration` asks for: the host's tags (`tags`, `extra_tags`,
 * `env:<env>`) until that long after the process started; undefined when it is 0 (the default)
 * or there are no host tags, so the flush does no work at all.
 */
export function expectedHostTagsFromConfig(config: ConfigReader, processStartMs: number = processStartEpochMs()): HostTagProvider | undefined {
  const durationMs = config.get(aggregatorKeys.expectedTagsDuration);
  if (!(durationMs > 0)) return undefined;
  const tags = hostTags(config);
  return tags.length === 0 ? undefined : new ExpectedHostTags(tags, processStartMs + durationMs);
}

/**
 * Adds `tags` to every serie (or sketch series), sorted and each once, as the Agent combines a
 * metric's tags with the host tags at flush. `cache` keeps one merged array per tags array:
 * every serie of a context shares its tags array, so the merge is done once per context.
 */
export function withHostTags<T extends Serie | SketchSeries>(series: readonly T[], tags: readonly string[], cache: WeakMap<readonly string[], readonly string[]>): T[] {
  return series.map((s) => withHostTag(s, tags, cache));
}

/** {@link withHostTags} for one serie (or sketch series): a copy with the merged tags. */
export function withHostTag<T extends Serie | SketchSeries>(serie: T, tags: readonly string[], cache: WeakMap<readonly string[], readonly string[]>): T {
  let merged = cache.get(serie.tags);
  if (merged === undefined) {
    merged = Object.freeze(sortUniq([...serie.tags, ...tags]));
    cache.set(serie.tags, merged);
  }
  // Not the joined tags it was made with: the encoders would write those instead of `tags`. A
  // flush's items are reused objects, valid until the next pull: the copy does not share points.
  const { joinedTags: _joined, ...rest } = serie;
  return { ...rest, tags: merged, points: serie.points.map((p) => ({ ...p })) } as unknown as T;
}
