import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';
import { aggregatorKeys } from '@agentkit/aggregator';

/** One `dogstatsd_mapper_profiles` entry, as the Datadog Agent reads it. */
export interface MapperProfileConfig {
  readonly name: string;
  /** Names that start with it are tried against the mappings; `*` means every name. */
  readonly prefix: string;
  readonly mappings: readonly MapperMappingConfig[];
}

export interface MapperMappingConfig {
  readonly match: string;
  /** Default `wildcard`: `*` matches one dot-free segment. `regex`: anchored `^…$`. */
  readonly match_type?: 'wildcard' | 'regex';
  /** The new name; `$1` / `${1}` expand capture groups. */
  readonly name: string;
  /** Tags added to the mapped sample, values with `$n` expansion. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The Agent's `StandardStatsdPrefixes`: never namespaced by `statsd_metric_namespace`. */
export const DEFAULT_NAMESPACE_BLACKLIST: readonly string[] = Object.freeze([
  'datadog.agent',
  'datadog.dogstatsd',
  'datadog.process',
  'datadog.trace_agent',
  'datadog.tracer',
  'activemq',
  'activemq_58',
  'airflow',
  'cassandra',
  'confluent',
  'hazelcast',
  'hive',
  'ignite',
  'jboss',
  'jvm',
  'kafka',
  'presto',
  'sidekiq',
  'solr',
  'tomcat',
  'runtime',
]);

/** 8 MiB: bursts are the main cause of UDP loss (the Agent's default is the OS's, ~208 KiB). */
export const DEFAULT_SO_RCVBUF_BYTES = 8 * 1024 * 1024;

/** The DogStatsD keys, with the Datadog Agent's names, env vars and (where noted) agentkit defaults. */
export const dogstatsdKeys = {
  useDogstatsd: defineKey({
    key: 'use_dogstatsd',
    type: 'boolean',
    default: true,
    doc: 'Run the DogStatsD server and its listeners (the `dogstatsd` bundle).',
  }),
  port: defineKey({
    key: 'dogstatsd_port',
    type: 'integer',
    default: 8125,
    min: -1,
    max: 65535,
    doc: 'UDP port to listen on. `0` picks a free port (logged at start); `-1` turns UDP off (agentkit; the Agent uses `0` for off).',
  }),
  nonLocalTraffic: defineKey({
    key: 'dogstatsd_non_local_traffic',
    type: 'boolean',
    default: false,
    doc: 'Listen on every interface (UDP and TCP) instead of 127.0.0.1 only.',
  }),
  soRcvbuf: defineKey({
    key: 'dogstatsd_so_rcvbuf',
    type: 'integer',
    default: DEFAULT_SO_RCVBUF_BYTES,
    min: 0,
    doc: 'UDP receive buffer (SO_RCVBUF) in bytes; `0` keeps the OS default. agentkit defaults to 8 MiB (the Agent to the OS default): the kernel caps it at `net.core.rmem_max`, and the granted size is logged with a warning when capped.',
  }),
  socket: defineKey({
    key: 'dogstatsd_socket',
    type: 'string',
    default: '',
    doc: 'Path of a Unix datagram socket to listen on (needs the optional `unix-dgram` addon). Empty means off. The Agent defaults to `/var/run/datadog/dsd.socket` on Linux; agentkit defaults to off so that `agentkit run` needs no root.',
  }),
  streamSocket: defineKey({
    key: 'dogstatsd_stream_socket',
    type: 'string',
    default: '',
    doc: 'Path of a Unix stream socket to listen on; each payload is prefixed by its length (4 bytes, little-endian). Empty means off.',
  }),
  tcpPort: defineKey({
    key: 'dogstatsd_tcp_port',
    type: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    doc: 'TCP port for newline-delimited DogStatsD (a lossless transport, e.g. hot-shots `protocol: tcp`). `0` means off. agentkit extension.',
  }),
  bufferSize: defineKey({
    key: 'dogstatsd_buffer_size',
    type: 'integer',
    default: 8192,
    min: 64,
    max: 16 * 1024 * 1024,
    doc: 'Largest payload in bytes of a Unix stream frame or a TCP line; a larger one closes that connection (counted).',
  }),
  queueSize: defineKey({
    key: 'dogstatsd_queue_size',
    type: 'integer',
    default: 1024,
    min: 1,
    doc: 'Packets held between the listeners and the parser. When full, the listener parses the queue before reading on (back-pressure to the kernel buffer, as the Agent\'s blocking channel does).',
  }),
  eolRequired: defineKey({
    key: 'dogstatsd_eol_required',
    type: 'string-list',
    default: [],
    doc: 'Transports (`udp`, `uds`, `named_pipe`, and agentkit\'s `tcp`) whose messages must end with a newline; an unterminated last message is dropped and counted.',
  }),
  tags: defineKey({
    key: 'dogstatsd_tags',
    type: 'string-list',
    default: [],
    doc: 'Tags appended to every metric, event and service check received by DogStatsD.',
  }),
  metricNamespace: defineKey({
    key: 'statsd_metric_namespace',
    type: 'string',
    default: '',
    doc: 'Prefix added to every metric name (a `.` is appended if missing), except names that start with an entry of `statsd_metric_namespace_blacklist`.',
  }),
  metricNamespaceBlacklist: defineKey({
    key: 'statsd_metric_namespace_blacklist',
    type: 'string-list',
    default: DEFAULT_NAMESPACE_BLACKLIST,
    doc: 'Name prefixes that `statsd_metric_namespace` leaves alone (default: the Agent\'s own and JMX integrations\' prefixes).',
  }),
  mapperProfiles: defineKey<readonly MapperProfileConfig[]>({
    key: 'dogstatsd_mapper_profiles',
    type: 'json',
    default: [],
    doc: 'Metric name mappings: a list of `{name, prefix, mappings: [{match, match_type, name, tags}]}` (JSON in `DD_DOGSTATSD_MAPPER_PROFILES`). An invalid profile fails the start.',
  }),
  mapperCacheSize: defineKey({
    key: 'dogstatsd_mapper_cache_size',
    type: 'integer',
    default: 1000,
    min: 0,
    doc: 'Entries of the mapper\'s LRU cache of results (misses included).',
  }),
  stringInternerSize: defineKey({
    key: 'dogstatsd_string_interner_size',
    type: 'integer',
    default: 4096,
    min: 16,
    doc: 'Metric names kept (per generation of a two-generation cache) so repeated names are parsed, namespaced and mapped once.',
  }),
  disableVerboseLogs: defineKey({
    key: 'dogstatsd_disable_verbose_logs',
    type: 'boolean',
    default: false,
    doc: 'Log parse errors at debug level instead of warning (they are counted either way, and logged at most once per second per kind).',
  }),
  // Declared by the aggregator, which runs the no-aggregation pipeline; the same object here
  // so loading both collections declares it once.
  noAggregationPipeline: aggregatorKeys.noAggregationPipeline,
  originDetectionClient: defineKey({
    key: 'dogstatsd_origin_detection_client',
    type: 'boolean',
    default: false,
    doc: 'Read the origin fields clients send (`|c:`, `|e:`, `|card:`); otherwise they are ignored.',
  }),
  drainTimeoutMs: defineKey({
    key: 'dogstatsd_drain_timeout_ms',
    type: 'integer',
    default: 2000,
    min: 0,
    doc: 'On stop, how long each listener may keep reading what is already queued in its socket (UDP: until the kernel queue is empty) or wait for stream clients to close. agentkit extension.',
  }),
} as const;

/**
 * The Agent's DogStatsD filters: metric names dropped, histograms copied as distributions, and
 * raw packets forwarded to another StatsD server. Kept apart from `dogstatsdKeys` (they are one
 * feature, and the listener keys above change often); both are in `dogstatsdConfigKeys`.
 */
export const dogstatsdFilterKeys = {
  metricBlocklist: defineKey({
    key: 'statsd_metric_blocklist',
    type: 'string-list',
    default: [],
    doc: 'Metric names dropped by the DogStatsD server, compared with the final name (after `dogstatsd_mapper_profiles` and `statsd_metric_namespace`), for every metric type and for timestamped samples too; events and service checks are never dropped. Dropped samples are counted (`dropped.blocklisted`). Ignored when `metric_filterlist` is set.',
    datadog: {
      kind: 'differs',
      how: 'Names are dropped as the server receives them, as in the Agent. The Agent (7.6x) also drops, after aggregation, the histogram aggregates listed here (`my.hist.max`, `my.hist.95percentile`); agentkit does not, and has no runtime or remote-config update of the list.',
    },
  }),
  metricBlocklistMatchPrefix: defineKey({
    key: 'statsd_metric_blocklist_match_prefix',
    type: 'boolean',
    default: false,
    doc: 'Drop every metric whose name starts with an entry of `statsd_metric_blocklist`, not only exact names.',
  }),
  metricFilterlist: defineKey({
    key: 'metric_filterlist',
    type: 'string-list',
    default: [],
    doc: 'The Agent\'s newer name for `statsd_metric_blocklist`: when not empty it replaces `statsd_metric_blocklist` (and `metric_filterlist_match_prefix` replaces `statsd_metric_blocklist_match_prefix`), as in the Agent.',
    datadog: {
      kind: 'differs',
      how: 'Applies to DogStatsD metrics only (agentkit runs no checks); histogram aggregates listed here are not dropped after aggregation, and there is no remote-config update of the list.',
    },
  }),
  metricFilterlistMatchPrefix: defineKey({
    key: 'metric_filterlist_match_prefix',
    type: 'boolean',
    default: false,
    doc: 'Drop every metric whose name starts with an entry of `metric_filterlist`, not only exact names.',
  }),
  histogramCopyToDistribution: defineKey({
    key: 'histogram_copy_to_distribution',
    type: 'boolean',
    default: false,
    doc: 'Also send every histogram and timing sample (`|h`, `|ms`) as a distribution named `histogram_copy_to_distribution_prefix` + its name, with the same value, sample rate, tags, host and timestamp. The copy is aggregated (never sent through the no-aggregation pipeline), as in the Agent.',
  }),
  histogramCopyToDistributionPrefix: defineKey({
    key: 'histogram_copy_to_distribution_prefix',
    type: 'string',
    default: '',
    doc: 'Prefix of the distribution copied from each histogram by `histogram_copy_to_distribution` (added to the final name, after the namespace).',
  }),
  forwardHost: defineKey({
    key: 'statsd_forward_host',
    type: 'string',
    default: '',
    doc: 'Host (name or IP) to which every packet the DogStatsD server receives (UDP, Unix sockets, TCP) is also sent unchanged, over UDP, before it is parsed. Off unless both this and `statsd_forward_port` are set. A send that fails is counted (`PacketForwarder` telemetry `errors.<code>`, e.g. `errors.ECONNREFUSED` when nothing listens there) and logged; ingestion goes on.',
    datadog: {
      kind: 'differs',
      how: 'The Agent forwards the packets its UDP assembler built (several datagrams joined by newlines); agentkit forwards each datagram, Unix stream frame or TCP chunk as it was received, so the receiver sees the datagrams the clients sent.',
    },
  }),
  forwardPort: defineKey({
    key: 'statsd_forward_port',
    type: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    doc: 'UDP port of `statsd_forward_host`; `0` means no forwarding.',
  }),
} as const;

/** The DogStatsD keys as a collection, in documentation order, for `loadConfig({ keys })`. */
export const dogstatsdConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  ...(Object.values(dogstatsdKeys) as AnyConfigKey[]),
  ...(Object.values(dogstatsdFilterKeys) as AnyConfigKey[]),
]);
