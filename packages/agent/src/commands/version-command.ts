import type { Command } from '../command.js';
import { agentkitVersion } from '../version.js';

export const versionCommand: Command = {
  name: 'version',
  help: `Usage: agentkit version

Prints agentkit's version and the Node.js version running it.
`,
  options: {},
  run(_args, io) {
    io.stdout(`agentkit ${agentkitVersion()} (node ${process.version})\n`);
    return Promise.resolve(0);
  },
};
