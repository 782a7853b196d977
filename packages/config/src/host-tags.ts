import type { ConfigReader } from '@agentkit/core';
import { commonKeys } from './config-keys.js';

/**
 * `tags` then `extra_tags`, duplicates removed and sorted: the Agent's `GetConfiguredTags`
 * (without `dogstatsd_tags`). Each entry as configured: no splitting beyond the config's own.
 */
export function configuredTags(config: ConfigReader): readonly string[] {
  return sortedUnique([...config.get(commonKeys.tags), ...config.get(commonKeys.extraTags)]);
}

/**
 * The host's tags as the Agent's host metadata carries them (`host-tags.system`): the
 * configured tags and `env:<env>` when `env` is set, sorted, duplicates removed. The Agent adds
 * cloud, container and cluster tags from its providers here; agentkit detects none of them.
 */
export function hostTags(config: ConfigReader): readonly string[] {
  const env = config.get(commonKeys.env).trim();
  const tags = [...configuredTags(config)];
  if (env !== '') tags.push(`env:${env}`);
  return sortedUnique(tags);
}

function sortedUnique(tags: readonly string[]): readonly string[] {
  return Object.freeze([...new Set(tags)].sort());
}
