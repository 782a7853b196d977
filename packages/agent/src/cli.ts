import { parseCommandArgs, UsageError, type Command, type CommandIO } from './command.js';
// The light entry: the CLI must not load inversify to print usage or its version.
import { AGENTKIT_VERSION } from '@agentkit/core/version';

/**
 * The commands, each loaded only when it runs: `agentkit version` or `--help` must not pay
 * for inversify, yaml and pino (together ~150 ms of module loading on these machines).
 */
const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Command> }[] = [
  {
    name: 'run',
    summary: 'Run the DogStatsD agent (with the local intake and its web page when no API key is set)',
    load: async () => {
      // Before the command's modules load: their loading is what the hold keeps from staying resident.
      (await import('./agent-v8-flags.js')).holdStartFootprint();
      return (await import('./commands/run-command.js')).runCommand;
    },
  },
  {
    name: 'exec',
    summary: 'Wrap a program as serverless-init does: run the pipeline, run the program, drain, exit with its code',
    load: async () => (await import('./commands/exec-command.js')).execCommand,
  },
  {
    name: 'intake',
    summary: 'Run the local intake alone (a Datadog-compatible intake with a web page)',
    load: async () => (await import('./commands/intake-command.js')).intakeCommand,
  },
  {
    name: 'status',
    summary: "Print the running agent's pipeline counters (127.0.0.1:cmd_port)",
    load: async () => (await import('./commands/status-command.js')).statusCommand,
  },
  {
    name: 'config',
    summary: 'Print the effective configuration and where each value comes from',
    load: async () => (await import('./commands/config-command.js')).configCommand,
  },
  {
    name: 'graph',
    summary: "Show the default agent's components, their dependencies and start order",
    load: async () => (await import('./commands/graph-command.js')).graphCommand,
  },
  {
    name: 'symdb',
    summary: 'Upload the symbol database of a JavaScript/TypeScript directory to the debugger intake',
    load: async () => (await import('./commands/symdb-command.js')).symdbCommand,
  },
  { name: 'version', summary: 'Print the agentkit version', load: async () => (await import('./commands/version-command.js')).versionCommand },
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `agentkit ${AGENTKIT_VERSION}: a DogStatsD metrics agent built from injectable components

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
    io.stdout(topic === undefined ? usage() : (await topic.load()).help);
    if (topic !== undefined) await endStartHold(topic.name);
    return 0;
  }
  if (name === '--version' || name === '-v') return main(['version'], io);
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    io.stderr(`agentkit: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
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
  } finally {
    await endStartHold(entry.name);
  }
}

/**
 * Ends the start-up hold `run`'s loader took, for a `main` that returns without running the
 * agent (help, a bad command line) or after it ran; `run` itself ends it once the agent is ready.
 * Idempotent; the module is loaded already when the hold was taken.
 */
async function endStartHold(name: string): Promise<void> {
  if (name === 'run') (await import('./agent-v8-flags.js')).releaseStartFootprint();
}

/** An agentkit error shows its message and code; anything else is a bug, so its stack. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('ERR_')) return `${error.message} [${code}]`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
