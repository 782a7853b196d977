import type { AnyConfigKey } from './config-key.js';

/** A parse outcome: the typed value, or what was expected instead. */
export type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly expected: string };

// Go's strconv.ParseBool, which the Agent's config reads text booleans with (spf13/cast
// ToBoolE): these twelve spellings exactly, case and whitespace included. The Agent reads any
// other text as false (with a log line); we refuse it instead (see parseBooleanText).
const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);
// Decimal only: Datadog's cast also takes 0x/0o prefixes, but a port written in hex is far more
// likely a mistake than a wish.
const INTEGER_PATTERN = /^[+-]?\d+$/;
const WHITESPACE = /\s+/;

/**
 * Parses an env var (or a string runtime override). Rules, after Datadog's `pkg/config`:
 * booleans take exactly Go's `strconv.ParseBool` spellings (`1 t T TRUE true True` and
 * `0 f F FALSE false False`, untrimmed); string lists split on whitespace only —
 * Datadog's env binding uses `strings.Fields`, so `DD_TAGS="a:1,b:2"` is ONE tag, as in the
 * Agent; json is parsed with JSON.parse. Emptiness is the caller's business (empty = unset).
 */
export function parseEnvValue(key: AnyConfigKey, raw: string): Parsed {
  switch (key.type) {
    case 'string':
      return ok(raw);
    case 'string-list':
      return ok(Object.freeze(splitWhitespace(raw)));
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        return fail(jsonExpectation(key));
      }
      return checkJson(key, value);
    }
    case 'boolean':
      return parseBooleanText(raw);
    case 'integer':
    case 'number':
    case 'enum':
    case 'duration':
      return parseScalarString(key, raw.trim());
  }
}

/**
 * Checks a value that already has a type: from the YAML file or a non-string runtime override.
 * Like Datadog (viper + cast), scalars are coerced where unambiguous: `"8125"` is accepted for
 * an integer, `8125` for a string, and a string for a string list is split on whitespace. A
 * boolean takes what the Agent's `cast.ToBoolE` takes: a boolean (the file reader makes plain
 * `yes`/`on`/`y`… booleans, as the Agent's YAML 1.1 parser does), a number (not 0 is true) or
 * one of `strconv.ParseBool`'s spellings (a quoted `"yes"` is not one, nor is it in the Agent).
 */
export function parseTypedValue(key: AnyConfigKey, value: unknown): Parsed {
  switch (key.type) {
    case 'string':
      if (typeof value === 'string') return ok(value);
      if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
      return fail('a string');
    case 'string-list':
      if (typeof value === 'string') return ok(Object.freeze(splitWhitespace(value)));
      if (Array.isArray(value) && value.every(isScalar)) return ok(Object.freeze(value.map(String)));
      return fail('a list of strings');
    case 'json':
      return checkJson(key, value);
    case 'integer':
    case 'number':
      if (typeof value === 'number') return checkNumber(key, value);
      return typeof value === 'string' ? parseScalarString(key, value.trim()) : fail(numberExpectation(key));
    case 'boolean':
      if (typeof value === 'boolean') return ok(value);
      if (typeof value === 'number') return ok(value !== 0);
      return typeof value === 'string' ? parseBooleanText(value) : fail(BOOLEAN_EXPECTATION);
    case 'enum':
      return typeof value === 'string' ? parseScalarString(key, value) : fail(enumExpectation(key));
    case 'duration':
      // A YAML number is nanoseconds, as Go's cast reads an integer into a time.Duration.
      if (typeof value === 'number') return Number.isFinite(value) ? ok(value / NS_PER_MS) : fail(durationExpectation);
      return typeof value === 'string' ? parseScalarString(key, value.trim()) : fail(durationExpectation);
  }
}

/** Freezes a value and everything in it, so no component can change config behind others' backs. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** What a boolean key accepts, for error messages (and the docs' intro says the same). */
export const BOOLEAN_EXPECTATION =
  'a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False; in the YAML file also unquoted yes/no, on/off, y/n)';

/**
 * Text as the Agent reads it for a boolean key. The Agent reads any other text as false and
 * only logs it; we refuse it, so that `DD_X=yes` (false to the Agent) cannot switch a feature
 * off without a word.
 */
function parseBooleanText(text: string): Parsed {
  if (TRUE_WORDS.has(text)) return ok(true);
  if (FALSE_WORDS.has(text)) return ok(false);
  return fail(BOOLEAN_EXPECTATION);
}

function parseScalarString(key: AnyConfigKey, text: string): Parsed {
  switch (key.type) {
    case 'integer':
      return INTEGER_PATTERN.test(text) ? checkNumber(key, Number(text)) : fail(numberExpectation(key));
    case 'number': {
      const n = text === '' ? NaN : Number(text);
      return Number.isFinite(n) ? checkNumber(key, n) : fail(numberExpectation(key));
    }
    case 'boolean':
      return parseBooleanText(text);
    case 'enum': {
      // Any case is accepted (DD_LOG_LEVEL=DEBUG works with the Datadog Agent); the value is
      // normalised to the declared spelling so code compares against one form.
      const lower = text.toLowerCase();
      const match = key.values?.find((v) => v.toLowerCase() === lower);
      return match === undefined ? fail(enumExpectation(key)) : ok(match);
    }
    case 'duration': {
      const ms = parseGoDurationMs(text);
      return ms === undefined ? fail(durationExpectation) : ok(ms);
    }
    case 'string':
    case 'string-list':
    case 'json':
      return ok(text);
  }
}

const durationExpectation = 'a duration such as 30m, 1h30m, 90s or 250ms';
const NS_PER_MS = 1e6;
const DURATION_UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
// µs and μs (micro sign, Greek mu) escaped: esbuild writes a regular expression's characters as
// they are, and the CLI's one-file bundle must come out ASCII for its source map to hold
// (scripts/esbuild-plugins.mjs, ONE_FILE_SOURCE).
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Milliseconds of a Go duration string (`time.ParseDuration`: `1h30m`, `-1.5s`, `0`), or of a
 * bare number, which Go's cast reads as nanoseconds (`"30"` is 30 ns, not 30 s); undefined when
 * it is neither.
 */
export function parseGoDurationMs(text: string): number | undefined {
  if (PLAIN_NUMBER.test(text)) return Number(text) / NS_PER_MS;
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '') return undefined;
  let totalMs = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < rest.length) {
    const match = DURATION_PART.exec(rest);
    if (match === null) return undefined;
    totalMs += Number(match[1]) * (DURATION_UNIT_MS[match[2] as string] as number);
  }
  return sign * totalMs;
}

function checkNumber(key: AnyConfigKey, n: number): Parsed {
  const integral = key.type === 'integer';
  if (integral ? !Number.isSafeInteger(n) : !Number.isFinite(n)) return fail(numberExpectation(key));
  if ((key.min !== undefined && n < key.min) || (key.max !== undefined && n > key.max)) {
    return fail(numberExpectation(key));
  }
  return ok(n);
}

function numberExpectation(key: AnyConfigKey): string {
  const noun = key.type === 'integer' ? 'an integer' : 'a number';
  if (key.min !== undefined && key.max !== undefined) return `${noun} from ${key.min} to ${key.max}`;
  if (key.min !== undefined) return `${noun} of at least ${key.min}`;
  if (key.max !== undefined) return `${noun} of at most ${key.max}`;
  return noun;
}

function enumExpectation(key: AnyConfigKey): string {
  return `one of ${(key.values ?? []).join(', ')}`;
}

function checkJson(key: AnyConfigKey, value: unknown): Parsed {
  const wanted = jsonShape(key.default);
  const shapeOk =
    wanted === 'any' ||
    (wanted === 'array' ? Array.isArray(value) : typeof value === 'object' && value !== null && !Array.isArray(value));
  return shapeOk ? ok(deepFreeze(value)) : fail(jsonExpectation(key));
}

function jsonExpectation(key: AnyConfigKey): string {
  const shape = jsonShape(key.default);
  return shape === 'any' ? 'JSON' : `a JSON ${shape}`;
}

function jsonShape(defaultValue: unknown): 'array' | 'object' | 'any' {
  if (Array.isArray(defaultValue)) return 'array';
  return typeof defaultValue === 'object' && defaultValue !== null ? 'object' : 'any';
}

function splitWhitespace(text: string): string[] {
  return text.split(WHITESPACE).filter((part) => part !== '');
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function ok(value: unknown): Parsed {
  return { ok: true, value };
}

function fail(expected: string): Parsed {
  return { ok: false, expected };
}
