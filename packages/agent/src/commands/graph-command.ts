import { createApp } from '@agentkit/core';
import { loggerFromConfig } from '@agentkit/log';
import { loadAgentConfig } from '../agent-config.js';
import { CONFIG_OPTION, UsageError, type Command } from '../command.js';
import { defaultAgentBundles } from '../default-agent.js';
import { warnUnknown } from './config-command.js';

const FORMATS = ['text', 'dot', 'mermaid', 'json'] as const;

export const graphCommand: Command = {
  name: 'graph',
  help: `Usage: agentkit graph [--config <file>] [--format text|dot|mermaid|json]

Builds the default agent's component graph from the bundles the configuration enables,
without constructing or starting anything, and prints it. An arrow A → B means A injects B:
B starts before A and stops after it. An ordering edge ("A after B": dashed in dot and
mermaid, kind "after" in json) means the same order without an injection.

Options:
  -c, --config <file>  YAML configuration file (bundles are switched on and off by config)
  -f, --format <fmt>   text (default), dot (Graphviz), mermaid, or json
  -h, --help           Show this help

Example: agentkit graph --format dot | dot -Tsvg > agent.svg
`,
  options: { ...CONFIG_OPTION, format: { type: 'string', short: 'f', default: 'text' } },
  async run(args, io) {
    const format = args.values['format'] as string;
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
    }
    const config = loadAgentConfig(args.values['config'] as string | undefined, io.env);
    warnUnknown(config, io.stderr);
    // With log_level debug, the app logs its plan (each bundle on or off, and why) on stderr.
    const app = createApp(await defaultAgentBundles(config), { config, logger: loggerFromConfig(config) });
    const bundles = app.bundles().map((b) => `${b.name}: ${b.enabled ? 'on' : 'off'} (${b.reason})`);
    switch (format) {
      case 'dot':
        io.stdout(app.toDot());
        break;
      case 'mermaid':
        io.stdout(app.toMermaid());
        break;
      case 'json':
        io.stdout(`${JSON.stringify({ bundles: app.bundles(), ...app.graph() }, null, 2)}\n`);
        break;
      default:
        io.stdout(`bundles: ${bundles.length === 0 ? 'none' : bundles.join('; ')}\n${app.toText()}`);
    }
    return 0;
  },
};
