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

export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as const;
  const { own, command: rest } = command.commandLineAfterOptions === true ? splitCommandLine(argv, options) : { own: [...argv], command: [] };
  try {
    const { values, positionals } = parseArgs({ args: own, options, allowPositionals: true, strict: true });
    return { values: values, positionals: [...positionals, ...rest] };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

