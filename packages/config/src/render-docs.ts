import type { AnyConfigKey, ConfigKeyType, DatadogParity } from './config-key.js';

/** Options for `renderConfigDocs`. */
export interface RenderConfigDocsOptions {
  /** The page's `#` heading; default `Configuration`. */
  readonly title?: string;
}

const DEFAULT_TITLE = 'Configuration';

const TYPE_NAMES: Readonly<Record<ConfigKeyType, string>> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  'string-list': 'list of strings',
  enum: 'enum',
  json: 'JSON',
  duration: 'duration',
};

/**
 * Renders docs/configuration.md: one `### key` section per key, in the order given, with
 * Datadog's config-template `@param` / `@env` lines. Deterministic (no dates), so the file can be
 * checked for staleness in CI by regenerating and diffing.
 */
export function renderConfigDocs(keys: readonly AnyConfigKey[], options: RenderConfigDocsOptions = {}): string {
  const lines = [
    `# ${options.title ?? DEFAULT_TITLE}`,
    '',
    'Keys use the Datadog Agent names. Sources, lowest priority first: default < config file (YAML) < environment variable < runtime override.',
    'Nested YAML maps name dotted keys (`use_v2_api: {series: false}` sets `use_v2_api.series`). Empty environment variables are ignored.',
    '',
  ];
  for (const key of keys) lines.push(...renderKey(key));
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderKey(key: AnyConfigKey): string[] {
  const aliases = key.envAliases.map((name) => `\`${name}\``).join(', ');
  const lines = [
    `### ${key.key}`,
    '',
    `\`@param ${key.key} - ${TYPE_NAMES[key.type]} - optional - default: ${key.type === 'duration' ? formatDurationMs(key.default as number) : formatDefault(key.default)}\``,
    '',
    `\`@env ${key.env}\`${aliases === '' ? '' : ` (aliases, read after it: ${aliases})`}`,
    '',
  ];
  const facts = [];
  if (key.values !== undefined) facts.push(`Values: ${key.values.map((value) => `\`${value}\``).join(', ')}.`);
  if (key.min !== undefined || key.max !== undefined) facts.push(`Range: ${key.min ?? '−∞'} to ${key.max ?? '∞'}.`);
  if (key.secret) facts.push('Secret: masked in output.');
  lines.push(key.doc, '');
  if (facts.length > 0) lines.push(facts.join(' '), '');
  lines.push(describeParity(key.datadog), '');
  return lines;
}

function describeParity(parity: DatadogParity): string {
  switch (parity.kind) {
    case 'same':
      return 'Datadog Agent: same meaning, default and environment variable.';
    case 'differs':
      return `Datadog Agent: **differs**. ${parity.how}`;
    case 'no-effect':
      return `Datadog Agent: **accepted, no effect here**. ${parity.why}`;
    case 'agentkit':
      return 'Datadog Agent: no such key (agentkit only).';
  }
}

/** A millisecond default the way Go prints a time.Duration's simplest forms: `0s`, `30m`, `250ms`. */
function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function formatDefault(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value) ?? 'none';
}
