import type { AnyConfigKey } from './config-key.js';
import type { ConfigProblem, ValueSource } from './errors.js';
import { maskForDisplay, maskSecret } from './mask.js';
import { parseEnvValue, parseTypedValue } from './parse.js';

/** A validated value and where it came from. */
export interface Resolved {
  readonly value: unknown;
  readonly source: ValueSource;
}

/** Validated runtime overrides, plus the undeclared ones kept as given. */
export interface RuntimeLayer {
  readonly declared: ReadonlyMap<string, Resolved>;
  readonly undeclared: ReadonlyMap<string, unknown>;
}

const MAX_SHOWN_CHARS = 80;
const RUNTIME: ValueSource = Object.freeze({ kind: 'runtime' });

/**
 * Validates one value from one source. Env vars and string runtime overrides or runtime defaults
 * are parsed as text; file values and typed ones keep their type (see parse.ts). On failure, pushes a
 * problem and returns undefined, so the caller can go on and report every problem at once.
 */
export function resolveValue(
  key: AnyConfigKey,
  raw: unknown,
  source: ValueSource,
  problems: ConfigProblem[],
): Resolved | undefined {
  const fromText = typeof raw === 'string' && (source.kind === 'env' || source.kind === 'runtime' || source.kind === 'runtime-default');
  const parsed = fromText ? parseEnvValue(key, raw) : parseTypedValue(key, raw);
  if (parsed.ok) return { value: parsed.value, source };
  problems.push({ key: key.key, source, expected: parsed.expected, got: formatGot(key, raw) });
  return undefined;
}

/** Layers `overrides` over `previous` (later wins). `undefined` values are skipped. */
export function resolveOverrides(
  byName: ReadonlyMap<string, AnyConfigKey>,
  overrides: Readonly<Record<string, unknown>>,
  previous: RuntimeLayer,
  problems: ConfigProblem[],
): RuntimeLayer {
  const declared = new Map(previous.declared);
  const undeclared = new Map(previous.undeclared);
  for (const [name, raw] of Object.entries(overrides)) {
    if (raw === undefined) continue;
    const key = byName.get(name);
    if (key === undefined) {
      undeclared.set(name, raw);
      continue;
    }
    const resolved = resolveValue(key, raw, RUNTIME, problems);
    if (resolved !== undefined) declared.set(name, resolved);
  }
  return { declared, undeclared };
}

/** The offending value for a message: JSON, shortened, and masked for secrets. */
function formatGot(key: AnyConfigKey, raw: unknown): string {
  if (key.secret === true) return JSON.stringify(maskSecret(typeof raw === 'string' ? raw : JSON.stringify(raw)));
  if (key.secret !== false) return JSON.stringify(maskForDisplay(key.secret, typeof raw === 'string' ? raw : JSON.stringify(raw)));
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text;
}
