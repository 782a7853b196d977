export { defineKey, defaultEnvName } from './config-key.js';
export type {
  AnyConfigKey,
  BooleanKeyDeclaration,
  ConfigKey,
  ConfigKeyType,
  DatadogParity,
  DurationKeyDeclaration,
  EnumKeyDeclaration,
  JsonKeyDeclaration,
  KeyDeclaration,
  NumericKeyDeclaration,
  StringKeyDeclaration,
  StringListKeyDeclaration,
} from './config-key.js';

export { loadConfig } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';

export { Config } from './config.js';
export type { ConfigEntry } from './config.js';

export { ConfigError, ConfigErrorCode, describeSource } from './errors.js';
export type { ConfigProblem, SourceKind, ValueSource } from './errors.js';

export { maskForDisplay, maskSecret, maskUrlPassword } from './mask.js';
export { parseGoDurationMs } from './parse.js';

export type { SuspiciousEnv } from './suspicious-env.js';

export { unsupportedAgentKeys } from './unsupported-keys.js';
export type { UnsupportedAgentKey } from './unsupported-keys.js';

export { renderConfigDocs } from './render-docs.js';
export type { RenderConfigDocsOptions } from './render-docs.js';

export { commonConfigKeys, commonKeys, DEFAULT_LOCAL_INTAKE_PORT } from './config-keys.js';
export { resolveHostname } from './hostname.js';
export { configuredTags, hostTags } from './host-tags.js';
