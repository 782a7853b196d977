import { commonKeys, defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';
import type { ConfigReader } from '@agentkit/core';
import { httpClientConfigKeys } from '@agentkit/forwarder/config-keys';

/** 2 MiB, the Go uploader's `DefaultFlushThresholdBytes`. */
export const DEFAULT_SYMDB_FLUSH_THRESHOLD_BYTES = 2 * 1024 * 1024;
/** Directory names skipped while walking; `.*` means every dot-folder. */
export const DEFAULT_SYMDB_EXCLUDE_DIRS: readonly string[] = Object.freeze(['node_modules', '.*']);

/** The symbol database keys, with the names Datadog tracers use where one exists. */
export const symdbKeys = {
  uploadEnabled: defineKey({
    key: 'symbol_database_upload_enabled',
    datadog: { kind: 'agentkit' },
    type: 'boolean',
    default: false,
    doc: "Upload the symbol database (scopes of the JavaScript/TypeScript sources) of the wrapped program's working directory once, in the background, after `agentkit exec` starts.",
  }),
  flushThresholdBytes: defineKey({
    key: 'symdb_flush_threshold_bytes',
    datadog: { kind: 'agentkit' },
    type: 'integer',
    default: DEFAULT_SYMDB_FLUSH_THRESHOLD_BYTES,
    doc: 'Hard cap on the compressed size of one symbol database batch: a batch is sent before it would exceed it. Zero or less sends one batch per file scope.',
  }),
  url: defineKey({
    key: 'symdb_url',
    datadog: { kind: 'agentkit' },
    type: 'string',
    default: '',
    doc: 'Where symbol database batches are posted, overriding the destination derived from `api_key` and `site` (the debugger intake) or the local intake.',
  }),
  // Shared with the local intake itself: one declaration, in @agentkit/config.
  localIntakePort: commonKeys.localIntakePort,
  excludeDirs: defineKey({
    key: 'symdb_exclude_dirs',
    datadog: { kind: 'agentkit' },
    type: 'string-list',
    default: DEFAULT_SYMDB_EXCLUDE_DIRS,
    doc: 'Directory names the symbol database walk skips. `*` matches any characters (`.*` is every dot-folder). Set it empty to walk everything.',
  }),
  // Unified service tagging keys are common to every package; the same objects here.
  service: commonKeys.service,
  version: commonKeys.version,
} as const;

/** The symdb keys as a collection, in documentation order, for `loadConfig({ keys })`. */
/** True when `symbol_database_upload_enabled` asks for the upload (the symdb bundle's switch). */
export function symdbUploadEnabled(config: ConfigReader): boolean {
  return config.get(symdbKeys.uploadEnabled);
}

export const symdbConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  symdbKeys.uploadEnabled,
  symdbKeys.flushThresholdBytes,
  symdbKeys.url,
  symdbKeys.localIntakePort,
  symdbKeys.excludeDirs,
  symdbKeys.service,
  symdbKeys.version,
  // The uploader is an HTTP client like the forwarder: the same proxy and TLS keys, declared there.
  ...httpClientConfigKeys,
]);
