import type { TelemetrySnapshot } from './telemetry/telemetry.js';
import { token } from './token.js';

/** The shape a config key descriptor must have for `ConfigReader.get` (see @agentkit/config). */
export interface ConfigKeyRef<T> {
  readonly key: string;
  readonly default: T;
}

/**
 * Read access to configuration. `get(descriptor)` returns the typed, validated value (or the
 * descriptor's default); `get('key')` returns whatever is set, or undefined. Keys use the
 * Datadog Agent's names; dotted keys (`use_v2_api.series`) are looked up as written.
 */
export interface ConfigReader {
  get<T>(key: ConfigKeyRef<T>): T;
  get(key: string): unknown;
}

/**
 * The logging surface components use; a pino logger satisfies it. Pass the object first:
 * `log.info({ port }, 'listening')`. Disabled levels cost nothing, so build no message
 * before calling.
 */
export interface Logger {
  trace(obj: object, msg?: string): void;
  trace(msg: string): void;
  debug(obj: object, msg?: string): void;
  debug(msg: string): void;
  info(obj: object, msg?: string): void;
  info(msg: string): void;
  warn(obj: object, msg?: string): void;
  warn(msg: string): void;
  error(obj: object, msg?: string): void;
  error(msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Lets any component ask the app to stop, with the exit code `run()` should resolve to. */
export interface Shutdowner {
  /** Asks for a graceful stop. The first code asked for wins. Returns at once. */
  shutdown(exitCode?: number): void;
}

/**
 * Reads every component's telemetry (see TelemetrySource): what `app.telemetry()` returns.
 * Safe to call at any time; before start it returns `{}`. Cheap: one snapshot per component.
 */
export interface TelemetryReader {
  snapshot(): Record<string, TelemetrySnapshot>;
}

/** The app's configuration: `createApp`'s `config` option (empty when none is given). */
export const CONFIG = token<ConfigReader>('Config');
/** The app's logger: `createApp`'s `logger` option (silent when none is given). */
export const LOGGER = token<Logger>('Logger');
/** Asks the app to stop. */
export const SHUTDOWNER = token<Shutdowner>('Shutdowner');
/** The app's telemetry, for status servers and pages (inject it; no registration needed). */
export const TELEMETRY = token<TelemetryReader>('Telemetry');

/** Wraps a plain object of key → value as a ConfigReader (nested objects or dotted keys). */
export function configFromObject(values: Readonly<Record<string, unknown>>): ConfigReader {
  const lookup = (key: string): unknown => {
    if (Object.hasOwn(values, key)) return values[key];
    let node: unknown = values;
    for (const part of key.split('.')) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    return node;
  };
  return {
    get(key: string | ConfigKeyRef<unknown>): unknown {
      if (typeof key === 'string') return lookup(key);
      const value = lookup(key.key);
      return value === undefined ? key.default : value;
    },
  };
}

/** True when `value` already is a ConfigReader rather than a plain object of values. */
export function isConfigReader(value: unknown): value is ConfigReader {
  return typeof value === 'object' && value !== null && typeof (value as ConfigReader).get === 'function';
}

const noop = (): void => {};

/** A logger that discards everything. */
export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
