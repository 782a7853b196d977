/**
 * Tag keys kept off metrics (serverless-init's `highCardinalityTags`): one value per instance,
 * execution or task, so on metrics they would multiply the contexts stored and billed. Traces and
 * logs keep them.
 */
export const HIGH_CARDINALITY_TAG_KEYS: ReadonlySet<string> = new Set([
  'container_id',
  'gcr.container_id',
  'gcrfx.container_id',
  'replica_name',
  'aca.replica.name',
  'gcrj.execution_name',
  'gcrj.container_id',
  'gcrj.task_index',
  'gcrj.task_attempt',
  'gcrj.task_count',
]);

/** The key of a `key:value` tag (the whole tag when it has no `:`). */
export function tagKey(tag: string): string {
  const colon = tag.indexOf(':');
  return colon === -1 ? tag : tag.slice(0, colon);
}

/** `tags` without those whose key is in `HIGH_CARDINALITY_TAG_KEYS`, e.g. for metadata tags that reach metrics. */
export function withoutHighCardinalityTags(tags: readonly string[]): readonly string[] {
  return Object.freeze(tags.filter((tag) => !HIGH_CARDINALITY_TAG_KEYS.has(tagKey(tag))));
}

/**
 * Tags by key, later sets overwriting earlier ones (serverless-init merges maps in this order:
 * configured tags, unified service tags, cloud tags, version). Empty values are not tags.
 */
export class TagMap {
  readonly #byKey = new Map<string, string>();

  /** Sets `key:value`, replacing an earlier value of `key`; ignores an empty or missing value. */
  public set(key: string, value: string | undefined): this {
    if (value !== undefined && value !== '') this.#byKey.set(key, `${key}:${value}`);
    return this;
  }

  /** Adds whole tags (`key:value` or a bare `key`), each replacing an earlier one with its key. */
  public add(tags: readonly string[]): this {
    for (const tag of tags) this.#byKey.set(tagKey(tag), tag);
    return this;
  }

  public toArray(): readonly string[] {
    return Object.freeze([...this.#byKey.values()]);
  }
}
