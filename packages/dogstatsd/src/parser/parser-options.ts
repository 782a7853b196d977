import { resolveHostname } from '@agentkit/config';
import type { ConfigReader } from '@agentkit/core';
import { dogstatsdFilterKeys, dogstatsdKeys } from '../config-keys.js';
import { MetricMapper } from '../enrich/mapper.js';
import { NameBlocklist } from '../enrich/name-blocklist.js';
import type { PacketParserOptions } from './packet-parser.js';

/**
 * The parser's options as the server derives them from config: the one mapping from keys to
 * parser behaviour, shared by the server, tests and benches. Throws ERR_DOGSTATSD_INVALID_CONFIG
 * (naming the key) for an invalid mapper profile.
 */
export function parserOptionsFromConfig(config: ConfigReader): PacketParserOptions {
  const profiles = config.get(dogstatsdKeys.mapperProfiles);
  return {
    defaultHost: resolveHostname(config),
    extraTags: config.get(dogstatsdKeys.tags),
    readTimestamps: config.get(dogstatsdKeys.noAggregationPipeline),
    originDetectionClient: config.get(dogstatsdKeys.originDetectionClient),
    namespace: config.get(dogstatsdKeys.metricNamespace),
    namespaceBlacklist: config.get(dogstatsdKeys.metricNamespaceBlacklist),
    mapper: profiles.length === 0 ? undefined : new MetricMapper(profiles, config.get(dogstatsdKeys.mapperCacheSize)),
    nameCacheSize: config.get(dogstatsdKeys.stringInternerSize),
    blocklist: blocklistFromConfig(config),
    histogramCopyPrefix: config.get(dogstatsdFilterKeys.histogramCopyToDistribution)
      ? config.get(dogstatsdFilterKeys.histogramCopyToDistributionPrefix)
      : undefined,
  };
}

/**
 * The names dropped: `metric_filterlist` when it is not empty, else `statsd_metric_blocklist`,
 * each with its own match_prefix (the Agent's comp/filterlist). undefined when both are empty.
 */
export function blocklistFromConfig(config: ConfigReader): NameBlocklist | undefined {
  const filterlist = config.get(dogstatsdFilterKeys.metricFilterlist);
  const list =
    filterlist.length > 0
      ? new NameBlocklist(filterlist, config.get(dogstatsdFilterKeys.metricFilterlistMatchPrefix))
      : new NameBlocklist(config.get(dogstatsdFilterKeys.metricBlocklist), config.get(dogstatsdFilterKeys.metricBlocklistMatchPrefix));
  return list.empty ? undefined : list;
}
