import type { TagKey } from './context.js';

/** A tags array normalized: its key (see {@link TagKey}) and the key's 30-bit hash. */
export interface NormalizedTags {
  readonly key: TagKey;
  readonly hash: number;
}

/**
 * Sorts and deduplicates `tags` and keys them: joined into one flat string when they can be
 * split back, else the frozen sorted array (the caller's own when already sorted and unique:
 * the sample contract makes it immutable). Every array with the same set of tags, in any order
 * and with any duplicates, gets an equal key and the same hash.
 */
export function normalizeTags(tags: readonly string[]): NormalizedTags {
  // Already sorted and unique (clients often send them so): share the caller's immutable array.
  const normalized = isSortedUnique(tags) ? tags : Object.freeze(sortUniq(tags));
  const key = joinTags(normalized) ?? normalized;
  return { key, hash: tagKeyHash(key) };
}

/** A 30-bit hash of a tag key (a small integer). */
export function tagKeyHash(key: TagKey): number {
  if (typeof key === 'string') return hashString(key, 0x811c9dc5) & 0x3fffffff;
  let hash = 0x811c9dc5;
  for (const tag of key) hash = hashString(tag, Math.imul(hash ^ 0x2c, 0x01000193));
  return hash & 0x3fffffff;
}

/** Whether two keys hold the same tags (a joined key never equals an array key: see joinTags). */
export function sameTagKey(a: TagKey, b: TagKey): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  return sameTags(a, b);
}

/** Sorted, unique tags as one string, or undefined when they cannot be split back (an empty set, a tag with ',' or empty). */
export function joinTags(tags: readonly string[]): string | undefined {
  if (tags.length === 0) return undefined;
  for (const tag of tags) if (tag.length === 0 || tag.includes(',')) return undefined;
  // Array#join builds one flat string (not a rope of its parts), so the tags themselves can go.
  return tags.join(',');
}

function isSortedUnique(tags: readonly string[]): boolean {
  for (let i = 1; i < tags.length; i++) if ((tags[i - 1] as string) >= (tags[i] as string)) return false;
  return true;
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A sorted copy without duplicates (the Agent's `SortUniq`). */
export function sortUniq(tags: readonly string[]): string[] {
  if (tags.length === 0) return [];
  if (tags.length === 1) return [tags[0] as string];
  const sorted = [...tags].sort();
  let out = 1;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] !== sorted[out - 1]) sorted[out++] = sorted[i] as string;
  }
  sorted.length = out;
  return sorted;
}

/** FNV-1a over UTF-16 code units, continuing from `seed`. */
export function hashString(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
