import { bundle, provide, type Bundle, type ConfigReader } from '@agentkit/core';
import { forwarderStopHookTimeoutMs } from '@agentkit/forwarder';
import { HttpLogSender } from './http-log-sender.js';
import { LOG_SENDER } from './log-sender.def.js';

/** The sender's share of the stop budget: the forwarder's (`forwarder_stop_timeout`); it drains through the same worker. */
export function logSenderStopTimeoutMs(config: ConfigReader): number {
  return forwarderStopHookTimeoutMs(config);
}

/** The real HttpLogSender as LOG_SENDER, for a bundle of one's own. */
export const logSenderProvider = provide(LOG_SENDER, HttpLogSender, { stopTimeoutMs: logSenderStopTimeoutMs });

/** `log-sender`: the HttpLogSender (LOG_SENDER). Needs LOGS_CONTEXT. */
export const logSenderBundle: Bundle = bundle('log-sender', [logSenderProvider]);
