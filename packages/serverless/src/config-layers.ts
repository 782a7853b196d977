import { aggregatorKeys } from '@agentkit/aggregator/config-keys';
import { commonKeys } from '@agentkit/config';

/** serverless-init flushes every 3 s: an instance may be frozen or stopped at any moment. */
export const SERVERLESS_FLUSH_INTERVAL_SEC = 3;
/** serverless-init's forwarder bound (3 s in its newer versions), inside the shutdown budget. */
export const SERVERLESS_FORWARDER_STOP_TIMEOUT_SEC = 3;
/** serverless-init's final-flush bound, inside the shutdown budget. */
export const SERVERLESS_AGGREGATOR_STOP_TIMEOUT_SEC = 2;

// Keys of packages this one does not depend on, by name (a test checks they are declared).
const FORWARDER_STOP_TIMEOUT = 'forwarder_stop_timeout';
const FORWARDER_STOP_WAIT_FOR_INFLIGHT = 'forwarder_stop_wait_for_inflight';

/**
 * The configuration `agentkit exec` runs with, in two layers:
 * - `defaults` → `loadConfig({ runtimeDefaults })`: above the keys' defaults, below the user's
 *   file and env, for what is a trade-off the user may make differently;
 * - `forced` → `loadConfig({ overrides })`: above everything, for what the mode cannot work
 *   without.
 * The tags come after loading, from the loaded values: see `withServerlessTags`.
 * Pure; the objects are fresh on every call.
 */
export function serverlessConfigLayers(): { defaults: Record<string, unknown>; forced: Record<string, unknown> } {
  const defaults: Record<string, unknown> = {
    // A default: a user who accepts later data for fewer requests may flush less often.
    [aggregatorKeys.flushInterval.key]: SERVERLESS_FLUSH_INTERVAL_SEC,
    // Defaults: the stop bounds are the user's to trade against serverless_shutdown_timeout.
    [FORWARDER_STOP_TIMEOUT]: SERVERLESS_FORWARDER_STOP_TIMEOUT_SEC,
    [aggregatorKeys.stopTimeout.key]: SERVERLESS_AGGREGATOR_STOP_TIMEOUT_SEC,
  };
  const forced: Record<string, unknown> = {
    // Forced: the mode itself (empty host, serverless origin); without it this is not serverless-init.
    [commonKeys.serverlessEnabled.key]: true,
    // Forced: switched off, the last 10 s of a task's metrics are lost at every exit.
    [aggregatorKeys.flushIncompleteBuckets.key]: true,
    // Forced: switched off, the final flush is aborted in flight at exit, and lost.
    [FORWARDER_STOP_WAIT_FOR_INFLIGHT]: true,
  };
  return { defaults, forced };
}
