import { commonKeys } from '@agentkit/config';
import { createApp } from '@agentkit/core';
import { intakeConfigKeys, LOCAL_INTAKE, localIntakeBundle } from '@agentkit/intake';
import { loggerFromConfig } from '@agentkit/log';
import { loadAgentConfig } from '../agent-config.js';
import { CONFIG_OPTION, UsageError, type Command } from '../command.js';
import { warnUnknown } from './config-command.js';

export const intakeCommand: Command = {
  name: 'intake',
  help: `Usage: agentkit intake [--port <n>] [--config <file>]

Runs the local intake alone: a Datadog-compatible HTTP intake on 127.0.0.1 that decodes
what agents send (series, sketches, events, service checks, symbol databases), keeps a
bounded history in memory and shows it on a web page and as JSON under /api/local/.
Point an agent at it with DD_DD_URL=http://127.0.0.1:<port> and any DD_API_KEY.
('agentkit run' embeds one by itself when it has neither api_key nor dd_url.)

Options:
  -p, --port <n>       Port (default local_intake_port, 8127; 0 picks a free one)
  -c, --config <file>  YAML configuration file (${intakeConfigKeys.map((k) => k.key).join(', ')})
  -h, --help           Show this help
`,
  options: { ...CONFIG_OPTION, port: { type: 'string', short: 'p' } },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
    const port = args.values['port'] as string | undefined;
    if (port !== undefined && !/^\d+$/.test(port)) throw new UsageError(`--port must be a port number (got "${port}")`);
    const overrides = port === undefined ? {} : { [commonKeys.localIntakePort.key]: Number(port) };
    const config = loadAgentConfig(args.values['config'] as string | undefined, io.env, { overrides });
    warnUnknown(config, io.stderr);
    const app = createApp([localIntakeBundle], { config, logger: loggerFromConfig(config) });
    return app.run({
      onStarted: (started) => {
        const { url } = started.get(LOCAL_INTAKE);
        io.stdout(`agentkit local intake on ${url}/ (pid ${process.pid})\n  Send to it: DD_DD_URL=${url} DD_API_KEY=any agentkit run\nStop with Ctrl-C or SIGTERM.\n`);
      },
    });
  },
};
