import { commonConfigKeys, loadConfig, type Config } from '@agentkit/config';
import { forwarderConfigKeys } from '@agentkit/forwarder';
import { logsConfigKeys } from '@agentkit/logs';

export const API_KEY = '0123456789abcdef0123456789abcdef';

/** A config of the keys the logs pipeline reads, from `env` alone. */
export function logsConfig(env: Record<string, string>): Config {
  return loadConfig({ keys: [...commonConfigKeys, ...forwarderConfigKeys, ...logsConfigKeys], env: { DD_API_KEY: API_KEY, DD_LOGS_ENABLED: 'true', ...env } });
}
