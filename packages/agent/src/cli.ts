import { AgentkitError } from '@agentkit/core';
import { parseCommandArgs, UsageError, type Command, type CommandIO } from './command.js';
import { configCommand } from './commands/config-command.js';
import { graphCommand } from './commands/graph-command.js';
import { versionCommand } from './commands/version-command.js';
import { agentkitVersion } from './version.js';

const COMMANDS: readonly Command[] = [configCommand, graphCommand, versionCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `agentkit ${agentkitVersion()}: a DogStatsD metrics agent built from injectable components

Usage: agentkit <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'agentkit <command> --help' for a command's options.
Configuration: a YAML file (--config) and DD_* environment variables, as the Datadog Agent.
`;
}

const processIO: CommandIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
};

/**
 * Runs the command line and resolves to the exit code: 0 on success, 1 when the command
 * failed, 2 for a bad command line. Never throws.
 */
export async function main(argv: readonly string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout(topic?.help ?? usage());
    return 0;
  }
  if (name === '--version' || name === '-v') return main(['version'], io);
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`agentkit: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values['help'] === true) {
      io.stdout(command.help);
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`agentkit ${command.name}: ${error.message}\nRun 'agentkit ${command.name} --help' for usage.\n`);
      return 2;
    }
    io.stderr(`agentkit ${command.name}: ${describe(error)}\n`);
    return 1;
  }
}

function describe(error: unknown): string {
  if (AgentkitError.is(error)) return `${error.message} [${error.code}]`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
