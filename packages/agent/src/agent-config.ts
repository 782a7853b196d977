import { loadConfig, type Config } from '@agentkit/config';
import { allConfigKeys } from './config-keys.js';

/** Loads the agent's configuration: defaults < the `--config` YAML file < DD_* environment. */
export function loadAgentConfig(file: string | undefined, env: Readonly<Record<string, string | undefined>>): Config {
  return loadConfig({ keys: allConfigKeys, env, ...(file === undefined ? {} : { file }) });
}
