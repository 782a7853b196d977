import type { Config } from '@agentkit/config';
import { describeError, type Logger } from '@agentkit/core';
import { createLogger, loggerFromConfig } from '@agentkit/log';
import {
  DEFAULT_SERVERLESS_SHUTDOWN_TIMEOUT_SEC,
  detectCloudService,
  lookupCloudMetadata,
  serverlessConfigLayers,
  serverlessKeys,
  withServerlessTags,
  type CloudService,
} from '@agentkit/serverless/setup';
import { loadAgentConfig, withConcreteIntakePort } from '../agent-config.js';
import { warnUnknown } from '../commands/config-command.js';
import { drainReserveMs, ShutdownBudget } from './shutdown-budget.js';

/** What `agentkit exec` knows before it starts anything. */
export interface ExecSetup {
  /** Undefined when the configuration is invalid: the program then runs without the pipeline. */
  readonly config: Config | undefined;
  readonly logger: Logger;
  /** The platform, with the configured tags joined in once the configuration loaded. */
  readonly cloud: CloudService;
  readonly budget: ShutdownBudget;
  /** The metadata server's tags (Cloud Run), still on their way: nothing waits for them. */
  readonly metadataTags: Promise<readonly string[]>;
}

/**
 * Detects the platform, starts asking Cloud Run's metadata server for the instance's tags in
 * the background (the program must not wait for it: 300 ms at worst), and loads the
 * configuration with the serverless layers, then the serverless-init tags from it (see
 * `withServerlessTags`). Never throws: an invalid configuration is logged and leaves `config`
 * undefined, because a broken agent must not keep the wrapped program from running.
 */
export async function loadExecSetup(file: string | undefined, env: Readonly<Record<string, string | undefined>>, warn: (text: string) => void): Promise<ExecSetup> {
  const platform = detectCloudService(env);
  const metadataTags = lookupCloudMetadata(platform, { env });
  let tagged: ReturnType<typeof withServerlessTags>;
  try {
    const { defaults, forced } = serverlessConfigLayers();
    const loaded = loadAgentConfig(file, env, { runtimeDefaults: defaults, runtimeDefaultsFrom: 'agentkit exec', overrides: forced });
    warnUnknown(loaded, warn);
    tagged = withServerlessTags(await withConcreteIntakePort(loaded), platform);
  } catch (error) {
    const logger = createLogger();
    logger.error({ err: error }, `invalid configuration, the program runs WITHOUT the metrics pipeline (its metrics are lost): ${describeError(error)}`);
    const budgetMs = DEFAULT_SERVERLESS_SHUTDOWN_TIMEOUT_SEC * 1000;
    return { config: undefined, logger, cloud: platform, budget: new ShutdownBudget(budgetMs, 0), metadataTags };
  }
  const { config, cloud, ignored } = tagged;
  const logger = loggerFromConfig(config);
  if (ignored.length > 0) {
    logger.warn({ ignored }, `tags without a value are not put on metrics under agentkit exec (serverless-init takes key:value tags only): ${ignored.join(', ')}`);
  }
  const budgetMs = config.get(serverlessKeys.shutdownTimeout) * 1000;
  return { config, logger, cloud, budget: new ShutdownBudget(budgetMs, drainReserveMs(config, budgetMs)), metadataTags };
}
