import { parseArgs, type ParseArgsConfig } from 'node:util';
import { splitCommandLine } from './exec/command-line.js';

/** Where a command writes; tests pass collectors, the CLI passes process streams. */
export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** One `agentkit <name>` subcommand. */
export interface Command {
  readonly name: string;
  /** The full `--help` text. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /**
   * The arguments after the command's own options are another program's command line
   * (`agentkit exec node -e 0`): they are not parsed, and arrive as positionals as given.
   */
  readonly commandLineAfterOptions?: boolean;
  /** Runs with parsed flags and positionals; resolves to the exit code. */
  run(args: ParsedArgs, io: CommandIO): Promise<number>;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
}

/** Thrown for a bad command line: the CLI prints it with a hint and exits 2. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const CONFIG_OPTION = {
  config: { type: 'string', short: 'c' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * What node:util's `parseArgs` gives for no arguments at all: each option's default (same
 * values, same null-prototype object), no positionals. The common `agentkit run` has no
 * arguments, and `parseArgs` loads its two modules at its first call: ~0.16 MB of RSS held for
 * the agent's life (docs/benchmarks.md, part idlesmall). Any argument goes to `parseArgs`.
 */
function defaultValues(options: NonNullable<ParseArgsConfig['options']>): ParsedArgs['values'] {
  const values = Object.create(null) as Record<string, string | boolean | undefined>;
  for (const [name, option] of Object.entries(options)) {
    if (option.default !== undefined) values[name] = option.default as string | boolean;
  }
  return values;
}

/** The command's flags and positionals from `argv` (what follows the command's name). Throws UsageError for a bad command line. */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as const;
  const { own, command: rest } = command.commandLineAfterOptions === true ? splitCommandLine(argv, options) : { own: [...argv], command: [] };
  if (own.length === 0) return { values: defaultValues(options), positionals: rest };
  try {
    const { values, positionals } = parseArgs({ args: own, options, allowPositionals: true, strict: true });
    return { values: values, positionals: [...positionals, ...rest] };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

