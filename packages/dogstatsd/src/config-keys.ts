import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';
import { aggregatorKeys } from '@agentkit/aggregator/config-keys';

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
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: 'Run the DogStatsD server and its listeners (the `dogstatsd` bundle).',
  }),
  port: defineKey({
    key: 'dogstatsd_port',
    type: 'integer',
    default: 8125,
    max: 65535,
    datadog: {
      kind: 'differs',
      how: 'Same values as the Agent: a positive port listens, `0` or a negative value turns UDP off. A port that cannot be bound (in use, no permission) fails the start here, where the Agent logs the error and runs without UDP.',
    },
    doc: 'UDP port to listen on; `0` (or a negative value) turns UDP off, as in the Agent, e.g. when clients use `dogstatsd_socket`. Bound to `bind_host`, or to every interface with `dogstatsd_non_local_traffic`.',
  }),
  nonLocalTraffic: defineKey({
    key: 'dogstatsd_non_local_traffic',
    type: 'boolean',
    default: false,
    datadog: { kind: 'same' },
    doc: 'Listen on every interface, IPv4 and IPv6 (one dual-stack socket on `::`, as the Agent), instead of `bind_host`. Applies to UDP and to agentkit\'s TCP listener.',
  }),
  soRcvbuf: defineKey({
    key: 'dogstatsd_so_rcvbuf',
    datadog: { kind: 'differs', how: "Default 8 MiB here, the OS default (`0`) in the Agent: bursts are the main cause of UDP loss, and the kernel caps the request at `net.core.rmem_max` anyway (the granted size is logged). `0` keeps the OS default in both." },
    type: 'integer',
    default: DEFAULT_SO_RCVBUF_BYTES,
    min: 0,
    doc: 'UDP receive buffer (SO_RCVBUF) in bytes; `0` keeps the OS default. The kernel caps it at `net.core.rmem_max`; the granted size is logged, with a warning when capped.',
  }),
  socket: defineKey({
    key: 'dogstatsd_socket',
    datadog: { kind: 'differs', how: "Default empty (off) here; the Agent listens on `/var/run/datadog/dsd.socket` on Linux. Off so that `agentkit run` needs no root and no `/var/run/datadog`." },
    type: 'string',
    default: '',
    doc: 'Path of a Unix datagram socket to listen on (needs the optional `unix-dgram` addon); at most 107 bytes on Linux (`sun_path`), a longer one fails the start. Empty means off. The Agent defaults to `/var/run/datadog/dsd.socket` on Linux; agentkit defaults to off so that `agentkit run` needs no root.',
  }),
  streamSocket: defineKey({
    key: 'dogstatsd_stream_socket',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    doc: 'Path of a Unix stream socket to listen on; each payload is prefixed by its length (4 bytes, little-endian). At most 107 bytes on Linux (`sun_path`), a longer one fails the start. Empty means off.',
  }),
  tcpPort: defineKey({
    key: 'dogstatsd_tcp_port',
    type: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    datadog: { kind: 'agentkit' },
    doc: 'TCP port for newline-delimited DogStatsD (a lossless transport, e.g. hot-shots `protocol: tcp`), bound as UDP is (`bind_host`, or every interface with `dogstatsd_non_local_traffic`). `0` means off.',
  }),
  bufferSize: defineKey({
    key: 'dogstatsd_buffer_size',
    type: 'integer',
    default: 8192,
    min: 64,
    max: 16 * 1024 * 1024,
    datadog: {
      kind: 'differs',
      how: 'As the Agent\'s read buffer for UDP and Unix datagrams: a longer datagram keeps its first `dogstatsd_buffer_size` bytes and is parsed as the Agent parses it; here each cut is also counted (`dropped.datagram_truncated`) and logged. Unix datagrams over 64 KiB are cut to 64 KiB by the `unix-dgram` addon whatever the setting. It also bounds agentkit\'s TCP lines.',
    },
    doc: 'Read buffer in bytes. A UDP or Unix datagram longer than it keeps only its first `dogstatsd_buffer_size` bytes (the messages before the cut are parsed as usual, the cut last one as it is), counted in `dropped.datagram_truncated`. A larger Unix stream frame or TCP line closes that connection (counted).',
  }),
  queueSize: defineKey({
    key: 'dogstatsd_queue_size',
    datadog: { kind: 'differs', how: "Counts packets here; the Agent's queue holds batches of up to `dogstatsd_packet_buffer_size` (32) packets, so the same number holds about 32 times fewer packets here. A full queue holds the listeners back in both." },
    type: 'integer',
    default: 1024,
    min: 1,
    doc: 'Packets held between the listeners and the parser. When full, the listener parses the queue before reading on (back-pressure to the kernel buffer, as the Agent\'s blocking channel does).',
  }),
  eolRequired: defineKey({
    key: 'dogstatsd_eol_required',
    datadog: { kind: 'same' },
    type: 'string-list',
    default: [],
    doc: 'Transports (`udp`, `uds`, `named_pipe`, and agentkit\'s `tcp`) whose messages must end with a newline; an unterminated last message is dropped and counted.',
  }),
  tags: defineKey({
    key: 'dogstatsd_tags',
    // parity set by #12 listeners/host-tags work
    datadog: { kind: 'same' },
    type: 'string-list',
    default: [],
    doc: 'Tags appended to every metric, event and service check received by DogStatsD.',
  }),
  metricNamespace: defineKey({
    key: 'statsd_metric_namespace',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    doc: 'Prefix added to every metric name (a `.` is appended if missing), except names that start with an entry of `statsd_metric_namespace_blacklist`.',
  }),
  metricNamespaceBlacklist: defineKey({
    key: 'statsd_metric_namespace_blacklist',
    datadog: { kind: 'same' },
    type: 'string-list',
    default: DEFAULT_NAMESPACE_BLACKLIST,
    doc: 'Name prefixes that `statsd_metric_namespace` leaves alone (default: the Agent\'s own and JMX integrations\' prefixes).',
  }),
  mapperProfiles: defineKey<readonly MapperProfileConfig[]>({
    key: 'dogstatsd_mapper_profiles',
    datadog: { kind: 'differs', how: "An invalid profile is a start error here, naming the key; the Agent logs a warning and runs without any mapping." },
    type: 'json',
    default: [],
    doc: 'Metric name mappings: a list of `{name, prefix, mappings: [{match, match_type, name, tags}]}` (JSON in `DD_DOGSTATSD_MAPPER_PROFILES`). An invalid profile fails the start.',
  }),
  mapperCacheSize: defineKey({
    key: 'dogstatsd_mapper_cache_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 1000,
    min: 0,
    doc: 'Entries of the mapper\'s LRU cache of results (misses included).',
  }),
  stringInternerSize: defineKey({
    key: 'dogstatsd_string_interner_size',
    datadog: { kind: 'differs', how: "Here it sizes a cache of metric names only (two generations of this many names), so a repeated name is parsed, namespaced and mapped once; the Agent's interner holds names and tags and is emptied when full. Either way it trades memory for CPU and changes nothing that is sent." },
    type: 'integer',
    default: 4096,
    min: 16,
    doc: 'Metric names kept (per generation of a two-generation cache) so repeated names are parsed, namespaced and mapped once.',
  }),
  disableVerboseLogs: defineKey({
    key: 'dogstatsd_disable_verbose_logs',
    datadog: { kind: 'differs', how: "Parse errors are logged at warning level here (the Agent: error), at most once per second per kind, and counted either way; true moves them to debug in both." },
    type: 'boolean',
    default: false,
    doc: 'Log parse errors at debug level instead of warning (they are counted either way, and logged at most once per second per kind).',
  }),
  // Declared by the aggregator, which runs the no-aggregation pipeline; the same object here
  // so loading both collections declares it once.
  noAggregationPipeline: aggregatorKeys.noAggregationPipeline,
  originDetectionClient: defineKey({
    key: 'dogstatsd_origin_detection_client',
    datadog: { kind: 'no-effect', why: "The fields are parsed, but agentkit has no tagger to turn a container id or external data into tags, so metrics carry no origin tags whatever the value. The Agent adds the sending container's tags." },
    type: 'boolean',
    default: false,
    doc: 'Accepted so that an Agent configuration loads. The origin fields clients send (`|c:`, `|e:`, `|card:`) are read when it is true, but nothing uses them: no origin tags are added either way.',
  }),
  drainTimeoutMs: defineKey({
    key: 'dogstatsd_drain_timeout_ms',
    datadog: { kind: 'agentkit' },
    type: 'integer',
    default: 2000,
    min: 0,
    doc: 'On stop, how long each listener may keep reading what is already queued in its socket (UDP: until the kernel queue is empty) or wait for stream clients to close.',
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
    datadog: { kind: 'same' },
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
    datadog: { kind: 'same' },
    type: 'boolean',
    default: false,
    doc: 'Drop every metric whose name starts with an entry of `metric_filterlist`, not only exact names.',
  }),
  histogramCopyToDistribution: defineKey({
    key: 'histogram_copy_to_distribution',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: false,
    doc: 'Also send every histogram and timing sample (`|h`, `|ms`) as a distribution named `histogram_copy_to_distribution_prefix` + its name, with the same value, sample rate, tags, host and timestamp. The copy is aggregated (never sent through the no-aggregation pipeline), as in the Agent.',
  }),
  histogramCopyToDistributionPrefix: defineKey({
    key: 'histogram_copy_to_distribution_prefix',
    datadog: { kind: 'same' },
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
    datadog: { kind: 'same' },
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
