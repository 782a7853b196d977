import { commonKeys } from '@agentkit/config';
import { AGENTKIT_VERSION, type ConfigReader } from '@agentkit/core';
import { dogstatsdKeys } from '@agentkit/dogstatsd';
import { apmKeys } from '../config-keys.js';

/**
 * The body of `GET /info`, as the trace agent builds it (pkg/trace/api/info.go): the routes we
 * serve and the fields tracers read. dd-trace-js reads `endpoints` (which debugger, EVP and
 * stats routes exist) and `evp_proxy_allowed_headers`; other tracers read the flags too. The
 * flags say what this receiver does, not what the Agent does: no stats are computed here, so
 * `client_drop_p0s` is false (a tracer must send every trace) and no `/v0.6/stats` is listed;
 * long-running spans are not assembled, so `long_running_spans` is false. Meta structs and span
 * events only change how spans are encoded, and every encoding is decoded here, so both are
 * true as in the Agent. Built once per receiver: nothing in it changes while it runs.
 */
export function infoDocument(config: ConfigReader, endpoints: readonly string[]): Record<string, unknown> {
  const env = config.get(commonKeys.env).trim();
  return {
    version: AGENTKIT_VERSION,
    git_commit: '',
    endpoints,
    client_drop_p0s: false,
    span_meta_structs: true,
    long_running_spans: false,
    span_events: true,
    evp_proxy_allowed_headers: [],
    config: {
      // The Agent's default when `env` is unset.
      default_env: env === '' ? 'none' : env,
      target_tps: 10,
      max_eps: 200,
      receiver_port: Math.max(0, config.get(apmKeys.receiverPort)),
      receiver_socket: config.get(apmKeys.receiverSocket),
      connection_limit: 0,
      receiver_timeout: 0,
      max_request_bytes: config.get(apmKeys.maxPayloadSize),
      statsd_port: Math.max(0, config.get(dogstatsdKeys.port)),
      max_memory: 0,
      max_cpu: 0,
      analyzed_spans_by_service: {},
    },
    peer_tags: null,
    span_kinds_stats_computed: null,
    obfuscation_version: 0,
  };
}
