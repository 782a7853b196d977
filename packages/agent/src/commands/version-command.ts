import type { Command } from '../command.js';
// The light entry: the CLI must not load inversify to print usage or its version.
import { AGENTKIT_VERSION } from '@agentkit/core/version';

export const versionCommand: Command = {
  name: 'version',
  help: `Usage: agentkit version

Prints agentkit's version and the Node.js version running it.
`,
  options: {},
  run(_args, io) {
    io.stdout(`agentkit ${AGENTKIT_VERSION} (node ${process.version})\n`);
    return Promise.resolve(0);
  },
};
