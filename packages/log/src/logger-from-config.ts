import type { ConfigReader } from '@agentkit/core';
import type { Logger as PinoLogger } from 'pino';

import { logKeys } from './config-keys.js';
import { createLogger } from './create-logger.js';
import type { CreateLoggerOptions } from './create-logger.js';

/**
 * Creates the logger from `log_level` and `log_format_json`; `overrides` win over both (a CLI
 * flag, a test's destination). Synchronous. Throws `ERR_LOG_INVALID_LEVEL` if the reader returns
 * a level that is not a Datadog level name (a loaded Config has already rejected those).
 */
export function loggerFromConfig(config: ConfigReader, overrides: CreateLoggerOptions = {}): PinoLogger {
  return createLogger({
    level: config.get(logKeys.logLevel),
    json: config.get(logKeys.logFormatJson),
    ...overrides,
  });
}
