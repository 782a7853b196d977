// The keys alone of the packages the agent loads only when they are switched on (see
// default-agent.ts): the trace agent and its debugger proxy, the local intake, the logs, symdb.
import { aggregatorConfigKeys } from '@agentkit/aggregator';
import { apmConfigKeys } from '@agentkit/apm/config-keys';
import { commonConfigKeys, type AnyConfigKey } from '@agentkit/config';
import { debuggerConfigKeys } from '@agentkit/debugger/config-keys';
import { dogstatsdConfigKeys } from '@agentkit/dogstatsd';
import { forwarderConfigKeys } from '@agentkit/forwarder';
import { intakeConfigKeys } from '@agentkit/intake/config-keys';
import { logConfigKeys } from '@agentkit/log';
import { logsConfigKeys } from '@agentkit/logs/config-keys';
import { metadataConfigKeys } from '@agentkit/metadata';
import { serializerConfigKeys } from '@agentkit/serializer';
import { serverlessConfigKeys } from '@agentkit/serverless';
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
