import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/logs. Match on these, never on message text. */
export const LogsErrorCode = {
  /** `logs_config.logs_dd_url` (or `site`) does not give a usable http(s) address. */
  InvalidEndpoint: 'ERR_LOGS_INVALID_ENDPOINT',
} as const;

export type LogsErrorCode = (typeof LogsErrorCode)[keyof typeof LogsErrorCode];

/** Every error @agentkit/logs raises; the message names the config key that fixes it. */
export class LogsError extends AgentkitError {
  public constructor(code: LogsErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'LogsError';
  }
}
