import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';

/** serverless-init's budget: inside Cloud Run's 10 s between SIGTERM and SIGKILL. */
export const DEFAULT_SERVERLESS_SHUTDOWN_TIMEOUT_SEC = 9.5;

/** The keys of `agentkit exec` (serverless-init's names, `DD_*` env vars derived). */
export const serverlessKeys = {
  shutdownTimeout: defineKey({
    key: 'serverless_shutdown_timeout',
    datadog: { kind: 'agentkit' },
    type: 'number',
    default: DEFAULT_SERVERLESS_SHUTDOWN_TIMEOUT_SEC,
    // Inclusive bounds: 1 ms is the smallest budget a timer can keep ("more than 0").
    min: 0.001,
    doc: 'Seconds `agentkit exec` may take, from SIGTERM (or the end of the wrapped command) to its exit, to stop the command and flush everything; each stage keeps its own bound inside it. 9.5 fits Cloud Run\'s 10 s grace period; Azure allows 30.',
  }),
  enhancedMetricsEnabled: defineKey({
    key: 'enhanced_metrics_enabled',
    datadog: { kind: 'differs', how: "The Agent's key is `enhanced_metrics` (`DD_ENHANCED_METRICS_ENABLED` is one of its variables), so the variable means the same to both, but in a YAML file the Agent reads `enhanced_metrics` where agentkit reads `enhanced_metrics_enabled`." },
    type: 'boolean',
    default: true,
    doc: 'Send the serverless enhanced metrics (`<prefix>.enhanced.cold_start`, `.shutdown`; for Cloud Run jobs `task.started`, `task.ended`, `task.duration`) as distributions. False sends none.',
  }),
} as const;

/** The serverless keys as a collection, in documentation order, for `loadConfig({ keys })`. */
export const serverlessConfigKeys: readonly AnyConfigKey[] = Object.freeze([serverlessKeys.shutdownTimeout, serverlessKeys.enhancedMetricsEnabled]);
