import { configFromObject, silentLogger, type ConfigReader, type Logger, type TelemetryReader } from '@agentkit/core';
import { HttpLocalIntake } from './http-local-intake.js';
import type { LocalIntakeOptions } from './local-intake.def.js';

export interface StartLocalIntakeOptions extends LocalIntakeOptions {
  readonly logger?: Logger;
  /** The counters `/api/local/agent` shows; none (`{}`) when the intake runs alone. */
  readonly telemetry?: TelemetryReader;
  /** For `local_intake_port` and the history limits; defaults apply to what it does not set. */
  readonly config?: ConfigReader;
}

/** What `/api/local/agent` reads when there is no agent around the intake. */
const NO_AGENT: TelemetryReader = { snapshot: () => ({}) };

/**
 * Starts a local intake outside an App (`agentkit intake`, tests): constructs it and runs its
 * start. Stop it with `intake.onStop()`. Rejects with `ERR_INTAKE_PORT_IN_USE` when the
 * port is taken.
 */
export async function startLocalIntake(options: StartLocalIntakeOptions = {}): Promise<HttpLocalIntake> {
  const { logger, telemetry, config, ...intakeOptions } = options;
  const intake = new HttpLocalIntake(config ?? configFromObject({}), logger ?? silentLogger, telemetry ?? NO_AGENT, intakeOptions satisfies LocalIntakeOptions);
  await intake.onStart();
  return intake;
}
