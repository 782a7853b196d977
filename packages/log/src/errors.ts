/** The stable codes of @agentkit/log. */
export const LogErrorCode = {
  /** `createLogger` got a level that is not one of the Datadog Agent's names (see `log_level`). */
  InvalidLevel: 'ERR_LOG_INVALID_LEVEL',
} as const;

export type LogErrorCode = (typeof LogErrorCode)[keyof typeof LogErrorCode];
