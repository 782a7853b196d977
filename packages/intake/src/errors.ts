import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/intake. Match on these, never on message text. */
export const IntakeErrorCode = {
  /** `local_intake_port` is taken on 127.0.0.1 (another `agentkit intake`, or another program). */
  PortInUse: 'ERR_INTAKE_PORT_IN_USE',
  /** The intake could not listen for another reason (permission, bad address). */
  Listen: 'ERR_INTAKE_LISTEN',
  /** `url` or `port` was read before the intake started listening. */
  NotStarted: 'ERR_INTAKE_NOT_STARTED',
  /** A request body is not what its route expects (bad multipart, bad gzip, bad JSON). Answered 400. */
  BadRequest: 'ERR_INTAKE_BAD_REQUEST',
} as const;

export type IntakeErrorCode = (typeof IntakeErrorCode)[keyof typeof IntakeErrorCode];

/** Every error @agentkit/intake raises; messages name the config key that fixes them. */
export class IntakeError extends AgentkitError {
  public constructor(code: IntakeErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'IntakeError';
  }
}
