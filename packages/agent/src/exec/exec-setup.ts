import type { Config } from '@agentkit/config';
import { describeError, type Logger } from '@agentkit/core';
import { createLogger, loggerFromConfig } from '@agentkit/log';
import {
  DEFAULT_SERVERLESS_SHUTDOWN_TIMEOUT_SEC,
  detectCloudService,
  lookupCloudMetadata,
  serverlessConfigLayers,
  serverlessKeys,
  type CloudService,
} from '@agentkit/serverless';
import { loadAgentConfig, withConcreteIntakePort } from '../agent-config.js';
import { warnUnknown } from '../commands/config-command.js';
import { drainReserveMs, ShutdownBudget } from './shutdown-budget.js';

/** What `agentkit exec` knows before it starts anything. */
export interface ExecSetup {
  /** Undefined when the configuration is invalid: the program then runs without the pipeline. */
  readonly config: Config | undefined;
  readonly logger: Logger;
  readonly cloud: CloudService;
  readonly budget: ShutdownBudget;
  /** The metadata server's tags (Cloud Run), still on their way: nothing waits for them. */
  readonly metadataTags: Promise<readonly string[]>;
}

/**
 * Detects the platform, starts asking Cloud Run's metadata server for the instance's tags in
 * the background (the program must not wait for it: 300 ms at worst), and loads the
 * configuration with the serverless layers. Never throws: an
 * invalid configuration is logged and leaves `config` undefined, because a broken agent must not
 * keep the wrapped program from running.
 */
export async function loadExecSetup(file: string | undefined, env: Readonly<Record<string, string | undefined>>, warn: (text: string) => void): Promise<ExecSetup> {
  const cloud = detectCloudService(env);
  const metadataTags = lookupCloudMetadata(cloud, { env });
  let config: Config;
  try {
    const { defaults, forced } = serverlessConfigLayers(cloud);
    const loaded = loadAgentConfig(file, env, { runtimeDefaults: defaults, runtimeDefaultsFrom: 'agentkit exec', overrides: forced });
    warnUnknown(loaded, warn);
    config = await withConcreteIntakePort(loaded);
  } catch (error) {
    const logger = createLogger();
    logger.error({ err: error }, `invalid configuration, the program runs WITHOUT the metrics pipeline (its metrics are lost): ${describeError(error)}`);
    const budgetMs = DEFAULT_SERVERLESS_SHUTDOWN_TIMEOUT_SEC * 1000;
    return { config: undefined, logger, cloud, budget: new ShutdownBudget(budgetMs, 0), metadataTags };
  }
  const budgetMs = config.get(serverlessKeys.shutdownTimeout) * 1000;
  return { config, logger: loggerFromConfig(config), cloud, budget: new ShutdownBudget(budgetMs, drainReserveMs(config, budgetMs)), metadataTags };
}

