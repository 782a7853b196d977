import { bundle, provide, type Bundle } from '@agentkit/core';
import { LOG_SOURCE } from './log-source.def.js';
import { PipeLogSource } from './pipe-log-source.js';

/**
 * The source's share of the stop budget: reading the pipes to their end after the program
 * exited takes milliseconds, unless a process the program started still holds them; then this
 * bounds the wait, leaving the rest of the budget to the sender.
 */
export const LOG_SOURCE_STOP_TIMEOUT_MS = 2000;

/** The real PipeLogSource as LOG_SOURCE, for a bundle of one's own. */
export const logSourceProvider = provide(LOG_SOURCE, PipeLogSource, { stopTimeoutMs: LOG_SOURCE_STOP_TIMEOUT_MS });

/** `log-source`: the PipeLogSource (LOG_SOURCE). Injects LOG_PROCESSOR. */
export const logSourceBundle: Bundle = bundle('log-source', [logSourceProvider]);
