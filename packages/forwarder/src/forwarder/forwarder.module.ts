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

/**
 * The forwarder bundle with its stop hook limit fitted to `forwarder_stop_timeout` as
 * configured. Use this when the stop timeout may differ from its default of 2 s.
 */
export function forwarderBundleFor(config: ConfigReader): Bundle {
  return makeBundle(config.get(forwarderKeys.stopTimeout) * 1000 + STOP_HOOK_MARGIN_MS);
}

/** `forwarder`: the undici Forwarder (FORWARDER) and its clock, for the default stop timeout. */
export const forwarderBundle: Bundle = makeBundle(forwarderKeys.stopTimeout.default * 1000 + STOP_HOOK_MARGIN_MS);

function makeBundle(stopTimeoutMs: number): Bundle {
  return bundle('forwarder', [
    provide(FORWARDER, HttpForwarder, { stopTimeoutMs }),
    provide(FORWARDER_CLOCK, { useValue: systemClock }),
  ]);
}
