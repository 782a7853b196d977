import { commonKeys, defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';

/** One hour of 10 s points per series. */
export const DEFAULT_MAX_POINTS = 360;
export const DEFAULT_MAX_CONTEXTS = 5000;
export const DEFAULT_MAX_EVENTS = 1000;

/**
 * The local intake's history limits. Its port is `local_intake_port` (`commonKeys.localIntakePort`
 * in @agentkit/config), shared with the agent and the symdb uploader, so it is not declared here.
 */
export const intakeKeys = {
  maxPoints: defineKey({
    key: 'local_intake_max_points',
    datadog: { kind: 'agentkit' },
    type: 'integer',
    default: DEFAULT_MAX_POINTS,
    min: 1,
    doc: 'How many points the local intake keeps per series and per distribution (the oldest go first). 360 is one hour of 10 s points.',
  }),
  maxContexts: defineKey({
    key: 'local_intake_max_contexts',
    datadog: { kind: 'agentkit' },
    type: 'integer',
    default: DEFAULT_MAX_CONTEXTS,
    min: 1,
    doc: 'How many series (metric + tags + host + type) and, separately, how many distributions (metric + tags + host) the local intake keeps; a new one past the limit is dropped and counted (`dropped.context_limit`).',
  }),
  maxEvents: defineKey({
    key: 'local_intake_max_events',
    datadog: { kind: 'agentkit' },
    type: 'integer',
    default: DEFAULT_MAX_EVENTS,
    min: 1,
    doc: 'How many of the latest events, and separately of the latest service checks, the local intake keeps.',
  }),
  /** Declared in @agentkit/config (the status server reads it too); the names the intake also answers to. */
  localServerAllowedHosts: commonKeys.localServerAllowedHosts,
} as const;

/** The intake's keys as a collection, for `loadConfig({ keys })`. */
export const intakeConfigKeys: readonly AnyConfigKey[] = Object.freeze(Object.values(intakeKeys) as AnyConfigKey[]);
