import { defineKey, type AnyConfigKey } from '@agentkit/config';

/** The metadata package's keys, with the Agent's names, env vars and defaults. */
export const metadataKeys = {
  enableMetadataCollection: defineKey({
    key: 'enable_metadata_collection',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: 'Send the host metadata (the host\'s tags, agent version, OS) at start and every 30 minutes. Switch it off only when another agent on this host already reports it. `agentkit exec` never sends it, as serverless-init does not.',
  }),
} as const;

/** The metadata keys as a collection, for `loadConfig({ keys })`. */
export const metadataConfigKeys: readonly AnyConfigKey[] = Object.freeze([metadataKeys.enableMetadataCollection]);
