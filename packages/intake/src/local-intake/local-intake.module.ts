import { bundle, provide, type Bundle } from '@agentkit/core';
import { HttpLocalIntake } from './http-local-intake.js';
import { LOCAL_INTAKE } from './local-intake.def.js';

/**
 * Answering what is in flight takes little; past this, the App's stop signal aborts and the
 * intake closes every connection at once.
 */
export const LOCAL_INTAKE_STOP_TIMEOUT_MS = 2000;

/** `local-intake`: the HTTP local intake on 127.0.0.1:`local_intake_port` (LOCAL_INTAKE). */
export const localIntakeBundle: Bundle = bundle('local-intake', [
  provide(LOCAL_INTAKE, HttpLocalIntake, { stopTimeoutMs: LOCAL_INTAKE_STOP_TIMEOUT_MS }),
]);
