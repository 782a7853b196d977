import type { ConfigKeyRef, ConfigReader } from '@agentkit/core';
import type { AnyConfigKey, ConfigKeyType } from './config-key.js';
import { ConfigError, ConfigErrorCode } from './errors.js';
import type { ConfigProblem, ValueSource } from './errors.js';
import { maskForDisplay } from './mask.js';
import { resolveOverrides } from './resolve.js';
import type { Resolved, RuntimeLayer } from './resolve.js';
import type { SuspiciousEnv } from './suspicious-env.js';

/** One declared key as `agentkit config` shows it. `value` is masked for secrets. */
export interface ConfigEntry {
  readonly key: string;
  readonly type: ConfigKeyType;
  readonly value: unknown;
  readonly source: ValueSource;
  /** The primary env var; `envAliases` are read after it. */
  readonly env: string;
  readonly envAliases: readonly string[];
  readonly secret: boolean | 'url-password';
  readonly doc: string;
}

/** What a Config is made of. Internal: build a Config with `loadConfig`. */
export interface ConfigState {
  readonly keys: readonly AnyConfigKey[];
  readonly byName: ReadonlyMap<string, AnyConfigKey>;
  /** Every declared key resolved from default < runtime default < file < env (snapshotted at load). */
  readonly base: ReadonlyMap<string, Resolved>;
  readonly runtime: RuntimeLayer;
  /** Runtime defaults naming no declared key (declared ones are resolved into `base`). */
  readonly runtimeDefaults?: { readonly source: ValueSource; readonly undeclared: ReadonlyMap<string, unknown> };
  readonly file?: { readonly path: string; readonly unknown: ReadonlyMap<string, unknown> };
  /** `DD_*` variables of the load-time env that no key reads but that look meant for one. */
  readonly suspiciousEnv?: readonly SuspiciousEnv[];
}

/**
 * Validated, immutable configuration: every declared key has a value and a source. Made by
 * `loadConfig`; `withOverrides` returns a new Config and leaves this one as it was. All methods
 * are synchronous and cheap (map look-ups), so components may call `get` on hot paths, though
 * reading once in the constructor is the usual way.
 */
export class Config implements ConfigReader {
  readonly #state: ConfigState;

  /** Internal: use `loadConfig`. */
  public constructor(state: ConfigState) {
    this.#state = state;
  }

  /**
   * A descriptor returns its typed, validated value; it must be one of the keys given to
   * `loadConfig` (else `ERR_CONFIG_UNDECLARED_KEY`, which catches a package whose keys were not
   * registered and whose env vars would otherwise be silently ignored). A string returns a
   * declared key's value, else what the overrides, the file or the runtime defaults held under
   * that name (a nested map for a prefix such as `logs_config`), else undefined.
   */
  public get<T>(key: ConfigKeyRef<T>): T;
  public get(key: string): unknown;
  public get(key: string | ConfigKeyRef<unknown>): unknown {
    if (typeof key !== 'string') return this.#require(key).value;
    const resolved = this.#resolved(key);
    if (resolved !== undefined) return resolved.value;
    if (this.#state.runtime.undeclared.has(key)) return this.#state.runtime.undeclared.get(key);
    const fromFile = this.#state.file === undefined ? undefined : lookupUnknown(this.#state.file.unknown, key.toLowerCase());
    return fromFile ?? this.#state.runtimeDefaults?.undeclared.get(key);
  }

  /** Where a key's value came from. Undefined only for a string naming nothing known. */
  public source(key: ConfigKeyRef<unknown>): ValueSource;
  public source(key: string): ValueSource | undefined;
  public source(key: string | ConfigKeyRef<unknown>): ValueSource | undefined {
    if (typeof key !== 'string') return this.#require(key).source;
    const resolved = this.#resolved(key);
    if (resolved !== undefined) return resolved.source;
    if (this.#state.runtime.undeclared.has(key)) return { kind: 'runtime' };
    const file = this.#state.file;
    if (file !== undefined && lookupUnknown(file.unknown, key.toLowerCase()) !== undefined) {
      return { kind: 'file', detail: file.path };
    }
    const defaults = this.#state.runtimeDefaults;
    return defaults?.undeclared.has(key) === true ? defaults.source : undefined;
  }

  /** The value for display: secret keys masked as declared (`secret`), other values as they are. */
  public masked(key: string | ConfigKeyRef<unknown>): unknown {
    const name = typeof key === 'string' ? key : key.key;
    const value = typeof key === 'string' ? this.get(key) : this.get(key);
    return maskForDisplay(this.#state.byName.get(name)?.secret ?? false, value);
  }

  /** Every declared key in declaration order, for display (secrets masked; use `get` for them). */
  public entries(): readonly ConfigEntry[] {
    return this.#state.keys.map((key) => ({
      key: key.key,
      type: key.type,
      value: this.masked(key),
      source: this.#require(key).source,
      env: key.env,
      envAliases: key.envAliases,
      secret: key.secret,
      doc: key.doc,
    }));
  }

  /** The declared keys, in declaration order. */
  public keys(): readonly AnyConfigKey[] {
    return this.#state.keys;
  }

  /**
   * Names in the file, the overrides or the runtime defaults that no declared key matches (file
   * names as dotted paths). Not an error — Datadog files hold keys for other agents — but the
   * caller should log a warning: a typo here is otherwise invisible.
   */
  public unknownKeys(): readonly string[] {
    const names = [
      ...(this.#state.file?.unknown.keys() ?? []),
      ...this.#state.runtime.undeclared.keys(),
      ...(this.#state.runtimeDefaults?.undeclared.keys() ?? []),
    ];
    return [...new Set(names)];
  }

  /**
   * `DD_*` variables (from the env `loadConfig` read) that no key reads but that look meant for
   * one: a name a small edit from one of ours (`DD_DOGSTATD_PORT`), or the variable of an Agent
   * key agentkit does not support. Not an error — the environment is shared with tracers and
   * other Datadog components, whose variables are not reported — but the caller should log a
   * warning, as for `unknownKeys()`.
   */
  public suspiciousEnv(): readonly SuspiciousEnv[] {
    return this.#state.suspiciousEnv ?? [];
  }

  /**
   * A new Config with `overrides` (key → value) layered on top as source `runtime`, validated
   * like `loadConfig`'s (strings parsed as env vars, typed values as YAML). Throws
   * `ERR_CONFIG_INVALID_VALUE` listing every bad override. Env is not read again.
   */
  public withOverrides(overrides: Readonly<Record<string, unknown>>): Config {
    const problems: ConfigProblem[] = [];
    const runtime = resolveOverrides(this.#state.byName, overrides, this.#state.runtime, problems);
    if (problems.length > 0) throw ConfigError.invalidValues(problems);
    return new Config({ ...this.#state, runtime });
  }

  #resolved(name: string): Resolved | undefined {
    return this.#state.runtime.declared.get(name) ?? this.#state.base.get(name);
  }

  #require(key: ConfigKeyRef<unknown>): Resolved {
    const resolved = this.#resolved(key.key);
    if (resolved === undefined) {
      throw new ConfigError(
        ConfigErrorCode.UndeclaredKey,
        `config key "${key.key}" is not declared: pass the config keys of the package that defines it to loadConfig({ keys })`,
      );
    }
    return resolved;
  }
}

/** A leaf by its dotted name, or the nested map rebuilt from the leaves under a prefix. */
function lookupUnknown(unknown: ReadonlyMap<string, unknown>, name: string): unknown {
  if (unknown.has(name)) return unknown.get(name);
  const prefix = `${name}.`;
  let tree: Record<string, unknown> | undefined;
  for (const [path, value] of unknown) {
    if (!path.startsWith(prefix)) continue;
    tree ??= {};
    const parts = path.slice(prefix.length).split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const child = node[part];
      node = typeof child === 'object' && child !== null ? (child as Record<string, unknown>) : (node[part] = {});
    }
    node[parts.at(-1) ?? ''] = value;
  }
  return tree;
}
