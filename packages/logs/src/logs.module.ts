import { bundle, provide, type Bundle } from '@agentkit/core';
import { logsKeys } from './config-keys.js';
import { logProcessorProvider } from './processor/log-processor.module.js';
import { LOGS_CONTEXT, type LogsContext } from './sender/log-sender.def.js';
import { logSenderProvider } from './sender/log-sender.module.js';
import { logSourceProvider } from './source/log-source.module.js';

/**
 * `logs`, switched on by `logs_enabled` (`DD_LOGS_ENABLED`): the source of the program's pipes,
 * the processor and the sender to the logs intake, with `context` (tags, default source, local
 * intake) as LOGS_CONTEXT. The source injects the processor and the processor the sender, so
 * the stop drains them in that order: pipes read to their end, lines handed over, logs sent.
 */
export function logsBundle(context: LogsContext): Bundle {
  return bundle('logs', [provide(LOGS_CONTEXT, { useValue: context }), logSourceProvider, logProcessorProvider, logSenderProvider], {
    enabled: (config) => config.get(logsKeys.enabled),
  });
}
