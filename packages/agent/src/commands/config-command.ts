import type { Config } from '@agentkit/config';
import { loadAgentConfig } from '../agent-config.js';
import { CONFIG_OPTION, type Command } from '../command.js';

export const configCommand: Command = {
  name: 'config',
  help: `Usage: agentkit config [--config <file>] [--json]

Prints every configuration key the agent reads, its effective value and its source:
default, the YAML file, the environment (naming the DD_* variable) or a runtime override.
Secrets such as api_key are masked but for their last 5 characters.

Options:
  -c, --config <file>  YAML configuration file (datadog.yaml style)
      --json           Print a JSON array instead of a table
  -h, --help           Show this help
`,
  options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
  run(args, io) {
    const config = loadAgentConfig(args.values['config'] as string | undefined, io.env);
    const rows = config.entries().map((e) => ({ key: e.key, value: e.value, source: describeSource(e.source), env: e.env }));
    if (args.values['json'] === true) {
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      io.stdout(table(rows.map((r) => [r.key, formatValue(r.value), r.source])));
    }
    warnUnknown(config, io.stderr);
    return Promise.resolve(0);
  },
};

function describeSource(source: ReturnType<Config['entries']>[number]['source']): string {
  return source.detail === undefined ? source.kind : `${source.kind} ${source.detail}`;
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
}

/** Longer values are shortened in the table (one long default would widen every row); `--json` has them whole. */
const MAX_TABLE_VALUE_CHARS = 60;

function table(rows: readonly (readonly [string, string, string])[]): string {
  const header = ['KEY', 'VALUE', 'SOURCE'] as const;
  let shortened = false;
  const fitted = rows.map(([key, value, source]): readonly [string, string, string] => {
    if (value.length <= MAX_TABLE_VALUE_CHARS) return [key, value, source];
    shortened = true;
    return [key, `${value.slice(0, MAX_TABLE_VALUE_CHARS - 1)}…`, source];
  });
  const all = [header, ...fitted];
  const widths = [0, 1].map((i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  const lines = all.map((r) => `${r[0].padEnd(widths[0] ?? 0)}  ${r[1].padEnd(widths[1] ?? 0)}  ${r[2]}`.trimEnd());
  if (shortened) lines.push('', `(values over ${MAX_TABLE_VALUE_CHARS} characters are shortened with …; agentkit config --json shows them whole)`);
  return lines.join('\n') + '\n';
}

/**
 * Warns, once per command, about what the configuration holds that agentkit ignores: unknown
 * keys of the file or the runtime layers, and `DD_*` variables that look meant for a key
 * (misspelt, or an Agent setting agentkit does not support). Secrets never appear: only names.
 */
export function warnUnknown(config: Config, write: (text: string) => void): void {
  const unknown = config.unknownKeys();
  if (unknown.length > 0) write(`warning: unknown configuration keys (ignored): ${unknown.join(', ')}\n`);
  const suspicious = config.suspiciousEnv();
  const misspelt = suspicious.flatMap((s) => (s.kind === 'misspelt' ? [`${s.variable} (did you mean ${s.env}, key ${s.key}?)`] : []));
  if (misspelt.length > 0) write(`warning: unknown environment variables (ignored): ${misspelt.join(', ')}\n`);
  const unsupported = suspicious.flatMap((s) => (s.kind === 'unsupported' ? [`${s.variable} (${s.key})`] : []));
  if (unsupported.length > 0) {
    write(`warning: Datadog Agent settings agentkit does not support (ignored; see docs/configuration.md): ${unsupported.join(', ')}\n`);
  }
}
