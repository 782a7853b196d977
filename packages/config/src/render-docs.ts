import type { AnyConfigKey, ConfigKeyType, DatadogParity } from './config-key.js';
import { unsupportedAgentKeys } from './unsupported-keys.js';
import type { UnsupportedAgentKey } from './unsupported-keys.js';

/** Options for `renderConfigDocs`. */
export interface RenderConfigDocsOptions {
  /** The page's `#` heading; default `Configuration`. */
  readonly title?: string;
  /** The closing list of Agent keys not supported; default `unsupportedAgentKeys` (empty: no section). */
  readonly unsupported?: readonly UnsupportedAgentKey[];
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

// The rules every key follows, in a few lines: what a reader must know before any one key.
const INTRO = [
  'Keys use the Datadog Agent names and `DD_*` variables. Sources, lowest priority first: default < config file (YAML, `--config`) < environment variable < runtime override (what `agentkit exec` forces).',
  'Nested YAML maps name dotted keys (`use_v2_api: {series: false}` sets `use_v2_api.series`). Empty environment variables are ignored.',
  '',
  "Booleans are read as the Agent reads them: text is Go's `strconv.ParseBool`, exactly `1 t T TRUE true True` or `0 f F FALSE false False`; in the YAML file, unquoted `yes`/`no`, `on`/`off`, `y`/`n` are booleans too (YAML 1.1, as for the Agent's parser) and a number is true unless it is 0.",
  'Where the Agent reads any other value as false with a log line (`DD_USE_V2_API_SERIES=yes`, `" true"`, a quoted `"yes"`), agentkit does not start and names the key: a deliberate difference, as is refusing any invalid value instead of falling back to a default.',
  '',
  'Unknown keys in the file, and `DD_*` variables that look like one of these keys misspelt (`DD_DOGSTATD_PORT`) or that set an Agent key agentkit does not support, are warned about once at start and by `agentkit config`; the variables of tracers and other Datadog components are left alone.',
  '',
  'Each key says how it compares with the Datadog Agent: same, **differs** (how and why), **accepted, no effect here**, or agentkit only. The deliberate differences of note: `dogstatsd_socket` is off by default (no root needed), `dogstatsd_so_rcvbuf` asks for 8 MiB, and `dogstatsd_flush_incomplete_buckets` and `forwarder_stop_wait_for_inflight` are on, so that a stop loses nothing. The Agent keys not supported are listed at the end.',
  '',
];

/**
 * Renders docs/configuration.md: the rules (sources, booleans, warnings, differences), one
 * `### key` section per key in the order given, with Datadog's config-template `@param` /
 * `@env` lines and the comparison with the Agent, then the Agent keys not supported.
 * Deterministic (no dates), so the file can be checked for staleness in CI by regenerating and
 * diffing.
 */
export function renderConfigDocs(keys: readonly AnyConfigKey[], options: RenderConfigDocsOptions = {}): string {
  const lines = [`# ${options.title ?? DEFAULT_TITLE}`, '', ...INTRO];
  for (const key of keys) lines.push(...renderKey(key));
  lines.push(...renderUnsupported(options.unsupported ?? unsupportedAgentKeys));
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderUnsupported(unsupported: readonly UnsupportedAgentKey[]): string[] {
  if (unsupported.length === 0) return [];
  const lines = [
    '## Datadog Agent keys not supported',
    '',
    'Keys a DogStatsD user of the Agent commonly sets that agentkit ignores (yet). In the file they are warned about as unknown keys; their variables, as settings agentkit does not support.',
    '',
  ];
  for (const entry of unsupported) {
    lines.push(`- \`${entry.key}\` (${entry.env.map((name) => `\`${name}\``).join(', ')}): ${entry.why}`);
  }
  lines.push('');
  return lines;
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
  if (key.min !== undefined && key.max !== undefined) facts.push(`Range: ${key.min} to ${key.max}.`);
  else if (key.min !== undefined) facts.push(`At least ${key.min}.`);
  else if (key.max !== undefined) facts.push(`At most ${key.max}.`);
  if (key.secret === true) facts.push('Secret: masked in output.');
  else if (key.secret === 'url-password') facts.push('A password in the URL is masked in output and logs.');
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
