import { bundle, provide, type Bundle, type ConfigReader } from '@agentkit/core';
import { FORWARDER_CLOCK } from '../clock/clock.def.js';
import { systemClock } from '../clock/system-clock.js';
import { forwarderKeys } from '../config-keys.js';
import { FORWARDER } from './forwarder.def.js';
import { HttpForwarder } from './http-forwarder.js';

/**
 * The forwarder's share of the App's stop budget: `forwarder_stop_timeout`. The App aborts the
 * forwarder's stop signal just before it (or sooner when the budget has less left), and the
 * forwarder then counts, logs and drops what it could not send; it keeps no clock of its own.
 */
export function forwarderStopHookTimeoutMs(config: ConfigReader): number {
  return config.get(forwarderKeys.stopTimeout) * 1000;
}

/**
 * `forwarder`: the HTTP Forwarder (FORWARDER, node:http / node:https) and its clock. Its stop hook limit is the
 * configured `forwarder_stop_timeout`.
 */
export const forwarderBundle: Bundle = bundle('forwarder', [
  provide(FORWARDER, HttpForwarder, { stopTimeoutMs: forwarderStopHookTimeoutMs }),
  provide(FORWARDER_CLOCK, { useValue: systemClock }),
]);
