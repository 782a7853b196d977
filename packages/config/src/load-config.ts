import type { AnyConfigKey } from './config-key.js';
import { envNames } from './config-key.js';
import { Config } from './config.js';
import { ConfigError, ConfigErrorCode } from './errors.js';
import type { ConfigProblem, ValueSource } from './errors.js';
import { resolveOverrides, resolveValue } from './resolve.js';
import type { Resolved, RuntimeLayer } from './resolve.js';
import { findSuspiciousEnv } from './suspicious-env.js';
import { unsupportedAgentKeys } from './unsupported-keys.js';
import type { UnsupportedAgentKey } from './unsupported-keys.js';
import { readConfigFile } from './yaml-file.js';

/**
 * What `loadConfig` reads. Sources, lowest priority first:
 * default < runtimeDefaults < file < env < overrides.
 */
export interface LoadConfigOptions {
  /** Every key the app may read: the packages' `*ConfigKeys` collections, concatenated. */
  readonly keys: readonly AnyConfigKey[];
  /** A YAML file (datadog.yaml style). Given and missing is an error. */
  readonly file?: string;
  /** Defaults to `process.env`. Read once, here: later changes are not seen. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Runtime overrides, key → value (e.g. from `agentkit exec`); strings are parsed like env vars. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /**
   * Runtime defaults, key → value: what a mode of the agent (e.g. `agentkit exec`) prefers over
   * the declared defaults, while the user's file and env still win. Validated like `overrides`
   * (strings parsed like env vars); source `runtime-default`.
   */
  readonly runtimeDefaults?: Readonly<Record<string, unknown>>;
  /** Who set `runtimeDefaults`, shown as the source's detail (`agentkit config`): e.g. `agentkit exec`. */
  readonly runtimeDefaultsFrom?: string;
  /** Agent keys known and not supported, whose env vars `suspiciousEnv()` reports; default `unsupportedAgentKeys`. */
  readonly unsupported?: readonly UnsupportedAgentKey[];
}

const DEFAULT_SOURCE: ValueSource = Object.freeze({ kind: 'default' });
const NO_RUNTIME: RuntimeLayer = { declared: new Map(), undeclared: new Map() };

/**
 * Resolves and validates every key, synchronously (the file is read with readFileSync; call it
 * once at startup, before the app is created). Throws:
 * - `ERR_CONFIG_DUPLICATE_KEY` when two different declarations share a name (passing the same
 *   declaration object twice is harmless and ignored);
 * - `ERR_CONFIG_FILE` for a missing, unreadable or malformed file (naming the YAML line);
 * - `ERR_CONFIG_INVALID_VALUE` listing every invalid value from every source at once. A bad file
 *   value is reported even when env overrides it: it would bite as soon as the env var goes.
 * An empty env var counts as unset (unless the key says `envEmptyIsSet`). Undeclared keys in the
 * file are not errors: see `unknownKeys()`; nor are `DD_*` variables no key reads: see `suspiciousEnv()`.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const byName = indexKeys(options.keys);
  const keys = [...byName.values()];
  const file = options.file === undefined ? undefined : readConfigFile(options.file, (name) => byName.has(name));
  const env = options.env ?? process.env;
  const problems: ConfigProblem[] = [];
  const base = new Map<string, Resolved>();
  const runtimeDefaults = options.runtimeDefaults ?? {};
  const runtimeDefaultSource: ValueSource =
    options.runtimeDefaultsFrom === undefined ? { kind: 'runtime-default' } : { kind: 'runtime-default', detail: options.runtimeDefaultsFrom };
  for (const key of keys) {
    let current: Resolved = { value: key.default, source: DEFAULT_SOURCE };
    const fromRuntimeDefaults = Object.hasOwn(runtimeDefaults, key.key) ? runtimeDefaults[key.key] : undefined;
    if (fromRuntimeDefaults !== undefined) {
      current = resolveValue(key, fromRuntimeDefaults, runtimeDefaultSource, problems) ?? current;
    }
    const fromFile = file?.declared.get(key.key);
    if (file !== undefined && fromFile !== undefined) {
      current = resolveValue(key, fromFile, { kind: 'file', detail: file.path }, problems) ?? current;
    }
    const envName = envNames(key).find((name) => (key.envEmptyIsSet ? env[name] !== undefined : (env[name] ?? '') !== ''));
    if (envName !== undefined) {
      current = resolveValue(key, envValue(key, envName, env[envName] ?? ''), { kind: 'env', detail: envName }, problems) ?? current;
    }
    base.set(key.key, current);
  }
  const runtime = resolveOverrides(byName, options.overrides ?? {}, NO_RUNTIME, problems);
  if (problems.length > 0) {
    // Group a key's problems together, in declaration order, then source order (sort is stable).
    const order = new Map(keys.map((key, index) => [key.key, index]));
    problems.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
    throw ConfigError.invalidValues(problems);
  }
  // Undeclared runtime defaults stay readable by name, below the file's undeclared keys.
  const defaultsUndeclared = new Map(Object.entries(runtimeDefaults).filter(([name, value]) => value !== undefined && !byName.has(name)));
  return new Config({
    keys,
    byName,
    base,
    runtime,
    runtimeDefaults: { source: runtimeDefaultSource, undeclared: defaultsUndeclared },
    suspiciousEnv: findSuspiciousEnv(env, keys, options.unsupported ?? unsupportedAgentKeys),
    ...(file === undefined ? {} : { file: { path: file.path, unknown: file.unknown } }),
  });
}

/** The raw text, or for a list whose env var has its own separator, the list already split. */
function envValue(key: AnyConfigKey, name: string, raw: string): string | readonly string[] {
  const separator = key.envListSeparators[name];
  return separator === undefined ? raw : raw.split(separator).filter((part) => part !== '');
}

function indexKeys(keys: readonly AnyConfigKey[]): Map<string, AnyConfigKey> {
  const byName = new Map<string, AnyConfigKey>();
  const duplicates = new Set<string>();
  for (const key of keys) {
    const seen = byName.get(key.key);
    if (seen === undefined) byName.set(key.key, key);
    else if (seen !== key) duplicates.add(key.key);
  }
  if (duplicates.size > 0) {
    const names = [...duplicates].map((name) => `"${name}"`).join(', ');
    throw new ConfigError(
      ConfigErrorCode.DuplicateKey,
      `config key(s) ${names} declared more than once: each key must be declared by one package only`,
    );
  }
  return byName;
}
