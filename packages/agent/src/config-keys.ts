import { commonConfigKeys, type AnyConfigKey } from '@agentkit/config';
import { logConfigKeys } from '@agentkit/log';

/**
 * Every key the default agent reads, in documentation order. Each package declares its own
 * keys; a package added to the agent adds its collection here (docs/configuration.md is
 * generated from this list, and a test fails when the file is stale).
 */
export const allConfigKeys: readonly AnyConfigKey[] = Object.freeze([...commonConfigKeys, ...logConfigKeys]);
