import type { LevelWithSilent } from 'pino';

import { AgentkitError } from '@agentkit/core';

import { LogErrorCode } from './errors.js';

/**
 * The Datadog Agent's level names (`log_level` / `DD_LOG_LEVEL`). `warning` is accepted as an
 * alias of `warn` because Datadog users write both and the Agent takes both.
 */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'warning', 'error', 'critical', 'off'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

const TO_PINO: Readonly<Record<LogLevel, LevelWithSilent>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
  off: 'silent',
};

/**
 * Maps a Datadog level name to pino's (`critical` → `fatal`, `off` → `silent`). Case does not
 * matter (`DD_LOG_LEVEL=DEBUG` is common). Throws `ERR_LOG_INVALID_LEVEL` naming `log_level`
 * for anything else.
 */
export function toPinoLevel(level: string): LevelWithSilent {
  const lower = level.toLowerCase();
  if (Object.hasOwn(TO_PINO, lower)) return TO_PINO[lower as LogLevel];
  throw new AgentkitError(
    LogErrorCode.InvalidLevel,
    `unknown log level "${level}": set log_level (DD_LOG_LEVEL) to one of ${LOG_LEVELS.join(', ')}`,
  );
}
