import { aggregatorConfigKeys } from '@agentkit/aggregator';
import { apmConfigKeys } from '@agentkit/apm';
import { commonConfigKeys, type AnyConfigKey } from '@agentkit/config';
import { debuggerConfigKeys } from '@agentkit/debugger';
import { dogstatsdConfigKeys } from '@agentkit/dogstatsd';
import { forwarderConfigKeys } from '@agentkit/forwarder';
import { intakeConfigKeys } from '@agentkit/intake';
import { logConfigKeys } from '@agentkit/log';
// Its keys alone: the rest of @agentkit/logs is loaded only with logs_enabled (agentkit exec).
import { logsConfigKeys } from '@agentkit/logs/config-keys';
import { metadataConfigKeys } from '@agentkit/metadata';
import { serializerConfigKeys } from '@agentkit/serializer';
import { serverlessConfigKeys } from '@agentkit/serverless';
import { symdbConfigKeys } from '@agentkit/symdb';
import { statusConfigKeys } from './status/config-keys.js';

/**
 * Every key the agent reads, in documentation order. Each package declares its own keys; a
 * package added to the agent adds its collection here (docs/configuration.md is generated
 * from this list, and a test fails when the file is stale). A key object shared by two
 * collections (e.g. `service`) is listed once.
 */
export const allConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  ...new Set([
    ...commonConfigKeys,
    ...logConfigKeys,
    ...dogstatsdConfigKeys,
    ...aggregatorConfigKeys,
    ...serializerConfigKeys,
    ...forwarderConfigKeys,
    ...metadataConfigKeys,
    ...statusConfigKeys,
    ...intakeConfigKeys,
    ...serverlessConfigKeys,
    ...symdbConfigKeys,
    ...debuggerConfigKeys,
    ...apmConfigKeys,
    ...logsConfigKeys,
  ]),
]);
