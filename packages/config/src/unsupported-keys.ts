import { defaultEnvName } from './config-key.js';

/** A Datadog Agent key that DogStatsD users commonly set and agentkit does not support (yet). */
export interface UnsupportedAgentKey {
  /** The Agent's key, as in datadog.yaml. */
  readonly key: string;
  /** The Agent's env vars for it; default `DD_` + upper-case key (`defaultEnvName`). */
  readonly env: readonly string[];
  /** One line for docs/configuration.md: what the Agent does with it, and what happens here. */
  readonly why: string;
}

function unsupported(key: string, why: string, env: readonly string[] = [defaultEnvName(key)]): UnsupportedAgentKey {
  return Object.freeze({ key, env: Object.freeze([...env]), why });
}

/**
 * The Agent keys (pkg/config/setup: `dogstatsd()`, `forwarder()`, `agent()`) a DogStatsD user
 * commonly sets that agentkit ignores. docs/configuration.md lists them (`renderConfigDocs`),
 * and `loadConfig` reports their env vars when set (`Config.suspiciousEnv()`), so that setting
 * one is never silent. Keys that agentkit supports are declared with `defineKey` instead.
 */
export const unsupportedAgentKeys: readonly UnsupportedAgentKey[] = Object.freeze([
  unsupported('dogstatsd_origin_detection', 'Tags metrics with the sending container, found from the Unix socket peer credentials; agentkit has no container tagger.'),
  unsupported('dogstatsd_origin_optout_enabled', 'Lets clients opt out of origin detection (`card:none`); nothing to opt out of here.'),
  unsupported('dogstatsd_tag_cardinality', 'Cardinality of the origin tags added by the tagger; agentkit adds none.'),
  unsupported('dogstatsd_entity_id_precedence', 'Prefers the client-sent entity id over origin detection; agentkit adds no origin tags either way.'),
  unsupported('dogstatsd_metrics_stats_enable', 'Counts metrics by name for `agent dogstatsd-stats`; agentkit\'s own counters are at `/telemetry` (`cmd_port`).'),
  unsupported('dogstatsd_stats_enable', 'Serves the Agent\'s internal DogStatsD stats (with `dogstatsd_stats_port`, `dogstatsd_stats_buffer`); see `agentkit status` instead.'),
  unsupported('dogstatsd_stats_port', 'The port of those stats; not served.'),
  unsupported('dogstatsd_capture_path', 'Where `agent dogstatsd-capture` writes traffic captures; agentkit cannot capture or replay.'),
  unsupported('dogstatsd_capture_depth', 'The capture writer\'s queue depth; no captures here.'),
  unsupported('dogstatsd_packet_buffer_size', 'Packets batched before they are queued to the workers; agentkit parses each packet as it is read (no batching stage).'),
  unsupported('dogstatsd_packet_buffer_flush_timeout', 'How long a partial packet batch may wait; no batching stage here.'),
  unsupported('dogstatsd_pipe_name', 'A Windows named pipe listener; agentkit listens on UDP, Unix sockets and TCP only.'),
  unsupported('dogstatsd_workers_count', 'Parser goroutines; agentkit parses on the main thread.'),
  unsupported('dogstatsd_pipeline_autoadjust', 'Sizes the pipelines to the CPU count; agentkit aggregates on one thread.'),
  unsupported('dogstatsd_log_file', 'A separate file for DogStatsD\'s logs; agentkit logs to stderr only.'),
  unsupported('dogstatsd_mem_based_rate_limiter.enabled', 'Slows listeners down under memory pressure; agentkit bounds memory with `dogstatsd_context_limit` instead.'),
  unsupported('dogstatsd_context_limiter.limit', 'A per-origin context limit (0 = off); agentkit has a global `dogstatsd_context_limit`.'),
  unsupported('forwarder_num_workers', 'Workers per endpoint; agentkit\'s concurrency per destination is `forwarder_max_concurrent_requests`.'),
  unsupported('forwarder_storage_max_size_in_bytes', 'Spills the retry queue to disk (with `forwarder_storage_path`); agentkit keeps it in memory only (`forwarder_retry_queue_payloads_max_size`).'),
  unsupported('forwarder_storage_path', 'Where that on-disk retry queue lives; not written here.'),
  unsupported('forwarder_connection_reset_interval', 'Closes idle intake connections every so often (0 = never); agentkit leaves that to the HTTP client\'s keep-alive.'),
  unsupported('forwarder_retry_queue_max_size', 'Deprecated count-based retry queue bound; use `forwarder_retry_queue_payloads_max_size` (bytes).'),
  unsupported('secret_backend_command', 'Runs a command that resolves `ENC[...]` secrets in the config; agentkit reads values as written.'),
  unsupported('hostname_file', 'Reads the hostname from a file; set `hostname` (`DD_HOSTNAME`) instead.'),
  unsupported('hostname_fqdn', 'Uses the fully qualified domain name as hostname; agentkit uses `hostname` or the OS hostname.'),
  unsupported('log_file', 'The Agent\'s log file; agentkit logs to stderr only (redirect it).'),
  unsupported('telemetry.enabled', 'Sends the Agent\'s internal metrics to Datadog; agentkit serves its counters at `/telemetry` (Prometheus text) instead.'),
]);
