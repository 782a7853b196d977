import { bundle, provide, type Bundle } from '@agentkit/core';
import { LOG_PROCESSOR } from './log-processor.def.js';
import { MultilineLogProcessor } from './multiline-log-processor.js';

/** Its stop only hands over what it holds (synchronous): a short share is plenty. */
export const LOG_PROCESSOR_STOP_TIMEOUT_MS = 500;

/** The real MultilineLogProcessor as LOG_PROCESSOR, for a bundle of one's own. */
export const logProcessorProvider = provide(LOG_PROCESSOR, MultilineLogProcessor, { stopTimeoutMs: LOG_PROCESSOR_STOP_TIMEOUT_MS });

/** `log-processor`: the MultilineLogProcessor (LOG_PROCESSOR). Injects LOG_SENDER. */
export const logProcessorBundle: Bundle = bundle('log-processor', [logProcessorProvider]);
