import { bundle, provide, type Bundle, type OrderingDependency } from '@agentkit/core';
import { logsKeys } from './config-keys.js';
import { logProcessorProvider } from './processor/log-processor.module.js';
import { LOGS_CONTEXT, type LogsContext } from './sender/log-sender.def.js';
import { HttpLogSender } from './sender/http-log-sender.js';
import { LOG_SENDER } from './sender/log-sender.def.js';
import { logSenderStopTimeoutMs } from './sender/log-sender.module.js';
import { logSourceProvider } from './source/log-source.module.js';

/**
 * `logs`, switched on by `logs_enabled` (`DD_LOGS_ENABLED`): the source of the program's pipes,
 * the processor and the sender to the logs intake, with `context` (tags, default source, local
 * intake) as LOGS_CONTEXT. The source injects the processor and the processor the sender, so
 * the stop drains them in that order: pipes read to their end, lines handed over, logs sent.
 * `senderAfter`: what the sender ships to over HTTP (the local intake), so it starts before
 * the sender and stops after its last payload.
 */
export function logsBundle(context: LogsContext, senderAfter: readonly OrderingDependency[] = []): Bundle {
  const sender = provide(LOG_SENDER, HttpLogSender, { stopTimeoutMs: logSenderStopTimeoutMs, after: senderAfter });
  return bundle('logs', [provide(LOGS_CONTEXT, { useValue: context }), logSourceProvider, logProcessorProvider, sender], {
    enabled: (config) => config.get(logsKeys.enabled),
  });
}
