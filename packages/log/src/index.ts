export { createLogger, DEFAULT_LOG_FD } from './create-logger.js';
export type { CreateLoggerOptions } from './create-logger.js';

export { loggerFromConfig } from './logger-from-config.js';

export { logConfigKeys, logKeys } from './config-keys.js';

export { DEFAULT_LOG_LEVEL, LOG_LEVELS, toPinoLevel } from './log-level.js';
export type { LogLevel } from './log-level.js';

export { scrubSecrets } from './scrub-secrets.js';

export { LogErrorCode } from './errors.js';
