import { bundle, provide, type Bundle, type ConfigReader } from '@agentkit/core';
import { FORWARDER_CLOCK } from '../clock/clock.def.js';
import { systemClock } from '../clock/system-clock.js';
import { forwarderKeys } from '../config-keys.js';
import { FORWARDER } from './forwarder.def.js';
import { HttpForwarder } from './http-forwarder.js';

/**
 * How much longer than `forwarder_stop_timeout` the App lets the forwarder's onStop run: the
 * forwarder keeps its own deadline, then counts, logs and closes connections; the App's limit
 * is only the net under a bug.
 */
export const STOP_HOOK_MARGIN_MS = 500;

/** The App's limit on the forwarder's onStop: `forwarder_stop_timeout` plus the margin. */
export function forwarderStopHookTimeoutMs(config: ConfigReader): number {
  return config.get(forwarderKeys.stopTimeout) * 1000 + STOP_HOOK_MARGIN_MS;
}

/**
 * `forwarder`: the undici Forwarder (FORWARDER) and its clock. Its stop hook limit follows the
 * configured `forwarder_stop_timeout`, plus the margin.
 */
export const forwarderBundle: Bundle = bundle('forwarder', [
  provide(FORWARDER, HttpForwarder, { stopTimeoutMs: forwarderStopHookTimeoutMs }),
  provide(FORWARDER_CLOCK, { useValue: systemClock }),
]);
