import { createServer } from 'node:net';
import { commonKeys, loadConfig, type Config } from '@agentkit/config';
import { allConfigKeys } from './config-keys.js';
import { usesLocalIntake } from './local-intake-destination.js';

/** Runtime layers on top of the user's sources (see `loadConfig`). */
export interface AgentConfigLayers {
  /** Below the file and the environment: the user's config wins (e.g. `agentkit exec`'s serverless defaults). */
  readonly runtimeDefaults?: Readonly<Record<string, unknown>>;
  /** Who set the runtime defaults, shown by `agentkit config` as their source (e.g. 'agentkit exec'). */
  readonly runtimeDefaultsFrom?: string;
  /** Above everything. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** Loads the agent's configuration: defaults < runtime defaults < the `--config` YAML file < DD_* environment < overrides. */
export function loadAgentConfig(file: string | undefined, env: Readonly<Record<string, string | undefined>>, layers: AgentConfigLayers = {}): Config {
  return loadConfig({
    keys: allConfigKeys,
    env,
    ...(file === undefined ? {} : { file }),
    ...(layers.runtimeDefaults === undefined ? {} : { runtimeDefaults: layers.runtimeDefaults }),
    ...(layers.runtimeDefaultsFrom === undefined ? {} : { runtimeDefaultsFrom: layers.runtimeDefaultsFrom }),
    ...(layers.overrides === undefined ? {} : { overrides: layers.overrides }),
  });
}

/**
 * `local_intake_port: 0` means "any free port"; when the agent embeds its local intake (see
 * `usesLocalIntake`), the forwarder needs the URL before the intake has started, so the port is
 * chosen here, once, and set as a runtime override. Otherwise `config` is returned as it is.
 */
export async function withConcreteIntakePort(config: Config): Promise<Config> {
  if (!usesLocalIntake(config) || config.get(commonKeys.localIntakePort) !== 0) return config;
  return config.withOverrides({ [commonKeys.localIntakePort.key]: await freeTcpPort() });
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
