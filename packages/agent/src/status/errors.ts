import { AgentkitError } from '@agentkit/core';

/** The stable codes of the status server (package @agentkit/agent). Match on these, never on message text. */
export const StatusErrorCode = {
  /** Another process listens on `cmd_port` (often a second agent). */
  PortInUse: 'ERR_AGENT_STATUS_PORT_IN_USE',
  /** Listening on `cmd_port` failed for another reason (e.g. EACCES); the cause says which. */
  Listen: 'ERR_AGENT_STATUS_LISTEN',
} as const;

export type StatusErrorCode = (typeof StatusErrorCode)[keyof typeof StatusErrorCode];

/** A status server failure; the message names `cmd_port`, the key that fixes it. */
export class StatusServerError extends AgentkitError {
  public constructor(code: StatusErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'StatusServerError';
  }
}
