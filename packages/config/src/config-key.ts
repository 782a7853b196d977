import type { ConfigKeyRef } from '@agentkit/core';
import { ConfigError, ConfigErrorCode } from './errors.js';
import { deepFreeze, parseTypedValue } from './parse.js';

/** How a key's value is written and validated (see README, "Parsing rules"). */
export type ConfigKeyType = 'string' | 'integer' | 'number' | 'boolean' | 'string-list' | 'enum' | 'json' | 'duration';

interface BaseDeclaration {
  /** The Datadog Agent's name, lower-case, may be dotted (`use_v2_api.series`). */
  readonly key: string;
  /** One or two sentences for docs/configuration.md. */
  readonly doc: string;
  /** The env var; default `DD_` + upper-case key with `.` → `_`. */
  readonly env?: string;
  /** More env vars, read in order after `env` (e.g. `dd_url`: `DD_URL`). */
  readonly envAliases?: readonly string[];
  /**
   * Masked in `entries()`, `masked()` and error messages: `true` stars all but the last 5
   * characters (API keys); `'url-password'` stars only the password of a URL's userinfo
   * (`http://user:********@proxy:3128`), so the rest of the URL stays readable.
   */
  readonly secret?: boolean | 'url-password';
  /**
   * An env var that is set but empty counts as set (to the empty value) instead of unset. For
   * keys the Datadog Agent reads with `os.LookupEnv` (the proxy variables): there, an empty
   * `HTTPS_PROXY` clears the file's `proxy.https`.
   */
  readonly envEmptyIsSet?: boolean;
  /**
   * For a string list: the separator of one env var where it is not whitespace, by name
   * (`NO_PROXY` is comma-separated, `DD_PROXY_NO_PROXY` space-separated). Split as written,
   * empty parts dropped, nothing trimmed.
   */
  readonly envListSeparators?: Readonly<Record<string, string>>;
  /**
   * How this key compares with the Datadog Agent's key of the same name (name, env var,
   * default, meaning, edge values), shown in docs/configuration.md. Required: a new key must
   * say, after checking the Agent's `pkg/config/setup` and `config_template.yaml`.
   */
  readonly datadog: DatadogParity;
}

/**
 * What a key means next to the Datadog Agent's key of the same name:
 * - `same`: same name, env var, default and meaning, edge values included;
 * - `differs`: the Agent has the key, we do something else on purpose (`how` says what and why);
 * - `no-effect`: accepted so an Agent config loads, but does nothing here (`why` says why);
 * - `agentkit`: our own key; the Datadog Agent has no such key.
 */
export type DatadogParity =
  | { readonly kind: 'same' }
  | { readonly kind: 'differs'; readonly how: string }
  | { readonly kind: 'no-effect'; readonly why: string }
  | { readonly kind: 'agentkit' };

export interface StringKeyDeclaration extends BaseDeclaration {
  readonly type: 'string';
  readonly default: string;
}

export interface NumericKeyDeclaration extends BaseDeclaration {
  readonly type: 'integer' | 'number';
  readonly default: number;
  /** Inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
}

/**
 * A Go `time.Duration`, as the Agent's `GetDuration` reads it: `30m`, `1h30m`, `1.5s`, `250ms`;
 * a bare number (YAML or env) is nanoseconds, as Go's cast makes it. Read as milliseconds.
 */
export interface DurationKeyDeclaration extends BaseDeclaration {
  readonly type: 'duration';
  /** In milliseconds. */
  readonly default: number;
}

export interface BooleanKeyDeclaration extends BaseDeclaration {
  readonly type: 'boolean';
  readonly default: boolean;
}

export interface StringListKeyDeclaration extends BaseDeclaration {
  readonly type: 'string-list';
  readonly default: readonly string[];
}

export interface EnumKeyDeclaration<V extends string> extends BaseDeclaration {
  readonly type: 'enum';
  readonly values: readonly V[];
  readonly default: NoInfer<V>;
}

/** Maps and lists of objects (`dogstatsd_mapper_profiles`, `additional_endpoints`). */
export interface JsonKeyDeclaration<T> extends BaseDeclaration {
  readonly type: 'json';
  /** An array default makes the key accept only arrays, a plain-object default only objects. */
  readonly default: T;
}

export type KeyDeclaration =
  | StringKeyDeclaration
  | NumericKeyDeclaration
  | BooleanKeyDeclaration
  | DurationKeyDeclaration
  | StringListKeyDeclaration
  | EnumKeyDeclaration<string>
  | JsonKeyDeclaration<unknown>;

/** A declared key: what `config.get()` takes. Frozen; safe to share between apps. */
export interface ConfigKey<T> extends ConfigKeyRef<T> {
  readonly key: string;
  readonly type: ConfigKeyType;
  readonly default: T;
  readonly doc: string;
  readonly env: string;
  readonly envAliases: readonly string[];
  readonly secret: boolean | 'url-password';
  readonly envEmptyIsSet: boolean;
  readonly envListSeparators: Readonly<Record<string, string>>;
  readonly datadog: DatadogParity;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
}

/** Any declared key, whatever its value type: what collections and `loadConfig` hold. */
export type AnyConfigKey = ConfigKey<unknown>;

const KEY_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
const ENV_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Declares a config key. The value type follows `type`: `integer` → `ConfigKey<number>`,
 * `duration` → `ConfigKey<number>` (milliseconds),
 * `enum` → the union of `values`, `json` → `T` (give it: `defineKey<Profile[]>({ type: 'json', … })`).
 * Throws `ERR_CONFIG_INVALID_DECLARATION` at once (module load) for a malformed declaration:
 * a bad key or env name, a default that its own type rejects, an enum default not in `values`.
 */
export function defineKey(decl: StringKeyDeclaration): ConfigKey<string>;
export function defineKey(decl: NumericKeyDeclaration): ConfigKey<number>;
export function defineKey(decl: BooleanKeyDeclaration): ConfigKey<boolean>;
export function defineKey(decl: DurationKeyDeclaration): ConfigKey<number>;
export function defineKey(decl: StringListKeyDeclaration): ConfigKey<readonly string[]>;
export function defineKey<const V extends string>(decl: EnumKeyDeclaration<V>): ConfigKey<V>;
export function defineKey<T>(decl: JsonKeyDeclaration<T>): ConfigKey<T>;
export function defineKey(decl: KeyDeclaration): AnyConfigKey {
  const fail = (why: string): never => {
    throw new ConfigError(ConfigErrorCode.InvalidDeclaration, `config key "${decl.key}": ${why}`);
  };
  if (!KEY_PATTERN.test(decl.key)) fail('key names are lower-case words joined by "_" and "."');
  const env = decl.env ?? defaultEnvName(decl.key);
  const envAliases = [...(decl.envAliases ?? [])];
  for (const name of [env, ...envAliases]) {
    if (!ENV_PATTERN.test(name)) fail(`"${name}" is not a valid environment variable name`);
  }
  const key: { -readonly [K in keyof AnyConfigKey]: AnyConfigKey[K] } = {
    key: decl.key,
    type: decl.type,
    default: deepFreeze(structuredClone(decl.default)),
    doc: decl.doc,
    env,
    envAliases: Object.freeze(envAliases),
    secret: decl.secret ?? false,
    envEmptyIsSet: decl.envEmptyIsSet ?? false,
    envListSeparators: Object.freeze({ ...(decl.envListSeparators ?? {}) }),
    datadog: Object.freeze({ ...decl.datadog }),
  };
  for (const name of Object.keys(decl.envListSeparators ?? {})) {
    if (decl.type !== 'string-list') fail('envListSeparators applies to string lists only');
    if (![env, ...envAliases].includes(name)) fail(`envListSeparators names "${name}", which is not one of its env vars`);
  }
  if (decl.type === 'integer' || decl.type === 'number') {
    if (decl.min !== undefined) key.min = decl.min;
    if (decl.max !== undefined) key.max = decl.max;
  }
  if (decl.type === 'enum') {
    if (decl.values.length === 0) fail('an enum needs at least one value');
    key.values = Object.freeze([...decl.values]);
  }
  // The default goes through the same checks as user values, without coercion: a default of
  // "8125" for an integer is a typo in the declaration, not something to paper over.
  // A duration's default is already in milliseconds (a user's bare number means nanoseconds).
  if (decl.type === 'duration') {
    if (!Number.isFinite(decl.default)) fail(`the default ${JSON.stringify(decl.default)} is not a number of milliseconds`);
    return Object.freeze(key);
  }
  const parsed = parseTypedValue(key, decl.default);
  const exact =
    parsed.ok &&
    (decl.type === 'json' || (decl.type === 'string-list' ? Array.isArray(decl.default) : parsed.value === decl.default));
  if (!parsed.ok || !exact) {
    fail(`the default ${JSON.stringify(decl.default)} is not ${parsed.ok ? `a ${decl.type}` : parsed.expected}`);
  }
  return Object.freeze(key);
}

/** `DD_` + upper-case key with `.` → `_`: `use_v2_api.series` → `DD_USE_V2_API_SERIES`. */
export function defaultEnvName(key: string): string {
  return `DD_${key.toUpperCase().replaceAll('.', '_')}`;
}

/** The env vars read for a key, in priority order: `env` first, then its aliases. */
export function envNames(key: AnyConfigKey): readonly string[] {
  return [key.env, ...key.envAliases];
}
