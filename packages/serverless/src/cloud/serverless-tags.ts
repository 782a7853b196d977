import { commonKeys, configuredTags, type Config } from '@agentkit/config';
import type { CloudService } from './cloud-service.js';
import { TagMap, withoutHighCardinalityTags } from './tags.js';

// A key of a package this one does not depend on, by name (a test checks it is declared).
const DOGSTATSD_TAGS = 'dogstatsd_tags';

/** What `withServerlessTags` made of the configuration. */
export interface ServerlessTags {
  /** The configuration with `dogstatsd_tags` = the user's own, then the serverless tags (a runtime override). */
  readonly config: Config;
  /** The platform with the user's tags joined in: what traces, logs and enhanced metrics carry. */
  readonly cloud: CloudService;
  /** Configured tags serverless-init cannot use (no `key:value`): left out, for the caller to warn about. */
  readonly ignored: readonly string[];
}

/**
 * The tags `agentkit exec` puts on every metric, as serverless-init composes them (its
 * `configureTags`), from the loaded configuration whatever the source (file, env, runtime):
 * `env`, `service`, `version` (lower-cased), overwritten by `tags` + `extra_tags` (each entry
 * split on commas too, `key:value` lower-cased; a tag without a value is left out, as
 * serverless-init does), overwritten by the platform's tags (`platform`, from
 * `detectCloudService`). Metrics get them without the high-cardinality ones, added to the
 * user's `dogstatsd_tags` (serverless-init appends them; it never replaces what the user set).
 * Pure; throws only if `dogstatsd_tags` is not declared in `config`.
 */
export function withServerlessTags(config: Config, platform: CloudService): ServerlessTags {
  const ignored: string[] = [];
  const tags = new TagMap()
    .set('env', config.get(commonKeys.env).toLowerCase())
    .set('service', config.get(commonKeys.service).toLowerCase())
    .set('version', config.get(commonKeys.version).toLowerCase());
  for (const entry of configuredTags(config)) {
    for (const tag of entry.split(',')) {
      if (tag === '') continue;
      const colon = tag.indexOf(':');
      if (colon <= 0) ignored.push(tag);
      else tags.set(tag.slice(0, colon).toLowerCase(), tag.slice(colon + 1).toLowerCase());
    }
  }
  tags.add(platform.tags);
  const all = tags.toArray();
  const cloud: CloudService = Object.freeze({ ...platform, tags: all, metricTags: withoutHighCardinalityTags(all) });
  const own = config.get(DOGSTATSD_TAGS) as readonly string[];
  const dogstatsdTags = [...new Set([...own, ...cloud.metricTags])];
  return { config: config.withOverrides({ [DOGSTATSD_TAGS]: dogstatsdTags }), cloud, ignored };
}
