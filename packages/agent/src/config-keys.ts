// Each package's keys alone (its ./config-keys entry): loading the configuration must not load
// the packages themselves (agentkit exec loads the pipeline after its program started).
import { aggregatorConfigKeys } from '@agentkit/aggregator/config-keys';
import { apmConfigKeys } from '@agentkit/apm/config-keys';
import { commonConfigKeys, type AnyConfigKey } from '@agentkit/config';
import { debuggerConfigKeys } from '@agentkit/debugger/config-keys';
import { dogstatsdConfigKeys } from '@agentkit/dogstatsd/config-keys';
import { forwarderConfigKeys } from '@agentkit/forwarder/config-keys';
import { intakeConfigKeys } from '@agentkit/intake/config-keys';
import { logConfigKeys } from '@agentkit/log/config-keys';
import { logsConfigKeys } from '@agentkit/logs/config-keys';
import { metadataConfigKeys } from '@agentkit/metadata/config-keys';
import { serializerConfigKeys } from '@agentkit/serializer/config-keys';
import { serverlessConfigKeys } from '@agentkit/serverless/config-keys';
import { symdbConfigKeys } from '@agentkit/symdb/config-keys';
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
