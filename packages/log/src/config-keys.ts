import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';

import { DEFAULT_LOG_LEVEL, LOG_LEVELS } from './log-level.js';

/** The logging keys, with the Datadog Agent's names and env vars. */
export const logKeys = {
  logLevel: defineKey({
    key: 'log_level',
    datadog: { kind: 'same' },
    type: 'enum',
    values: LOG_LEVELS,
    default: DEFAULT_LOG_LEVEL,
    env: 'DD_LOG_LEVEL',
    doc: 'The minimum level logged: `trace`, `debug`, `info`, `warn` (or `warning`), `error`, `critical`, or `off` for nothing.',
  }),
  logFormatJson: defineKey({
    key: 'log_format_json',
    datadog: { kind: 'differs', how: "When false the Agent always writes plain text; agentkit writes human-readable text to a terminal only, and JSON lines to pipes and files (what log collectors parse)." },
    type: 'boolean',
    default: false,
    env: 'DD_LOG_FORMAT_JSON',
    doc: 'Always log JSON lines. When false, logs are human-readable on a terminal and JSON lines otherwise.',
  }),
} as const;

/** The logging keys as a collection, in documentation order, for `loadConfig({ keys })`. */
export const logConfigKeys: readonly AnyConfigKey[] = Object.freeze([logKeys.logLevel, logKeys.logFormatJson]);
