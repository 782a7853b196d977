import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/debugger. Match on these, never on message text. */
export const DebuggerErrorCode = {
  /** A destination key holds a value that is not an http(s) URL: a start error naming the key. */
  InvalidDestination: 'ERR_DEBUGGER_INVALID_DESTINATION',
} as const;

export type DebuggerErrorCode = (typeof DebuggerErrorCode)[keyof typeof DebuggerErrorCode];

export class DebuggerError extends AgentkitError {
  public constructor(code: DebuggerErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'DebuggerError';
  }
}
