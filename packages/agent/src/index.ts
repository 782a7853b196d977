export { main } from './cli.js';
export type { Command, CommandIO, ParsedArgs } from './command.js';
export { allConfigKeys } from './config-keys.js';
export { defaultAgentBundles } from './default-agent.js';
export { loadAgentConfig } from './agent-config.js';
