import type { MapperProfileConfig } from '../config-keys.js';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';

const WILDCARD_ALLOWED = /^[a-zA-Z0-9\-_*.]+$/;
const KEY = 'dogstatsd_mapper_profiles';

/** A mapped name and the tags the mapping adds. */
export interface MapResult {
  readonly name: string;
  readonly tags: readonly string[];
}

interface Mapping {
  readonly regex: RegExp;
  readonly name: string;
  readonly tags: readonly (readonly [string, string])[];
}

interface Profile {
  readonly prefix: string;
  readonly mappings: readonly Mapping[];
}

/**
 * `dogstatsd_mapper_profiles`: renames metrics by wildcard or regex, with `$1` / `${1}` /
 * `$name` expansion in the name and tag values, as the Agent's mapper (inspired by
 * statsd_exporter). The first profile whose prefix matches decides (later profiles are not
 * tried, as in the Agent); in it, the first mapping that matches wins. Results, misses included, are kept in an LRU of `dogstatsd_mapper_cache_size`.
 */
export class MetricMapper {
  readonly #profiles: readonly Profile[];
  readonly #cacheSize: number;
  readonly #cache = new Map<string, MapResult | null>();

  /** Throws ERR_DOGSTATSD_INVALID_CONFIG (naming the profile and mapping) for an invalid profile. */
  public constructor(profiles: readonly MapperProfileConfig[], cacheSize: number) {
    this.#profiles = profiles.map((profile, index) => compileProfile(profile, index));
    this.#cacheSize = cacheSize;
  }

  public get empty(): boolean {
    return this.#profiles.length === 0;
  }

  /** The mapping of a metric name, or undefined when no mapping matches. */
  public map(name: string): MapResult | undefined {
    const cached = this.#cache.get(name);
    if (cached !== undefined) {
      // Refresh: Map iteration order is insertion order, so the first key is the least recent.
      this.#cache.delete(name);
      this.#cache.set(name, cached);
      return cached ?? undefined;
    }
    const result = this.#compute(name);
    if (this.#cacheSize > 0) {
      if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(name, result ?? null);
    }
    return result;
  }

  #compute(name: string): MapResult | undefined {
    for (const profile of this.#profiles) {
      if (profile.prefix !== '*' && !name.startsWith(profile.prefix)) continue;
      for (const mapping of profile.mappings) {
        const match = mapping.regex.exec(name);
        if (match === null) continue;
        return Object.freeze({
          name: expand(mapping.name, match),
          tags: Object.freeze(mapping.tags.map(([key, value]) => `${key}:${expand(value, match)}`)),
        });
      }
      // As the Agent does: the first profile whose prefix matches decides, even on no match.
      return undefined;
    }
    return undefined;
  }
}

function compileProfile(profile: MapperProfileConfig, index: number): Profile {
  const fail = (why: string): never => {
    throw new DogstatsdError(DogstatsdErrorCode.InvalidConfig, `${KEY}[${index}]: ${why}`);
  };
  if (typeof profile !== 'object' || profile === null) fail('a profile is an object {name, prefix, mappings}');
  if (typeof profile.name !== 'string' || profile.name === '') fail('missing profile name');
  if (typeof profile.prefix !== 'string' || profile.prefix === '') fail(`missing prefix for profile "${profile.name}"`);
  if (!Array.isArray(profile.mappings)) fail(`profile "${profile.name}": mappings must be a list`);
  const mappings = profile.mappings.map((mapping, i): Mapping => {
    const where = `profile "${profile.name}", mapping ${i}`;
    const matchType = mapping.match_type ?? 'wildcard';
    if (matchType !== 'wildcard' && matchType !== 'regex') fail(`${where}: match_type must be "wildcard" or "regex"`);
    if (typeof mapping.name !== 'string' || mapping.name === '') fail(`${where}: name is required`);
    if (typeof mapping.match !== 'string' || mapping.match === '') fail(`${where}: match is required`);
    let source = mapping.match;
    if (matchType === 'wildcard') {
      if (!WILDCARD_ALLOWED.test(source)) fail(`${where}: wildcard pattern "${source}" may only use [a-zA-Z0-9-_*.]`);
      if (source.includes('**')) fail(`${where}: wildcard pattern "${source}" must not contain consecutive "*"`);
      source = source.replaceAll('.', '\\.').replaceAll('*', '([^.]*)');
    } else {
      // Go's RE2 spells named groups (?P<name>…); JavaScript (?<name>…).
      source = source.replaceAll('(?P<', '(?<');
    }
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${source})$`);
    } catch (error) {
      return fail(`${where}: cannot compile "${mapping.match}": ${(error as Error).message}`);
    }
    const tags = Object.entries(mapping.tags ?? {}).map(([key, value]): readonly [string, string] => {
      if (typeof value !== 'string') fail(`${where}: tag "${key}" must be a string`);
      return [key, value];
    });
    return { regex, name: mapping.name, tags };
  });
  return { prefix: profile.prefix, mappings };
}

/** Go's `Regexp.ExpandString`: `$$`, `$1`, `${1}`, `$name`, `${name}`; unknown groups expand to "". */
export function expand(template: string, match: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  return template.replace(/\$(?:\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare ?? '';
    if (/^[0-9]+$/.test(name)) return match[Number(name)] ?? '';
    return match.groups?.[name] ?? '';
  });
}
