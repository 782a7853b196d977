/** The program `agentkit exec` runs: an executable (looked up on PATH) and its arguments. */
export interface TaskCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/**
 * The positionals after `exec` (and its `--`) as a command, or undefined for none (sidecar
 * mode). A single argument is split on whitespace, as serverless-init does, so that
 * `CMD ["agentkit", "exec", "node server.js"]` works; there is no shell quoting: to pass an
 * argument containing spaces, give the command as separate arguments.
 */
export function taskCommandOf(positionals: readonly string[]): TaskCommand | undefined {
  const words = positionals.length === 1 ? (positionals[0] ?? '').trim().split(/\s+/).filter((w) => w !== '') : positionals;
  const [file, ...args] = words;
  if (file === undefined || file === '') return undefined;
  return { file, args };
}

/** `file arg…` for logs, quoting what a reader could not otherwise tell apart. */
export function formatCommand(command: TaskCommand): string {
  return [command.file, ...command.args].map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word))).join(' ');
}

/** What `splitCommandLine` needs to know of a command's options (node:util parseArgs' shape). */
type OptionShapes = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

/**
 * Splits `agentkit exec`'s arguments into its own options and the program's command line, at
 * `--` or at the first argument that is not an option (or an option's value), so that
 * `agentkit exec python -c 'print(1)'` gives `-c` to python, not to agentkit's `--config`.
 * Options are only looked for before the command; an unknown one is left for the option parser
 * to report.
 */
export function splitCommandLine(argv: readonly string[], options: OptionShapes): { own: string[]; command: string[] } {
  const takesValue = (arg: string): boolean => {
    if (arg.startsWith('--')) return !arg.includes('=') && options[arg.slice(2)]?.type === 'string';
    return arg.length === 2 && Object.values(options).some((o) => o.short === arg[1] && o.type === 'string');
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return { own: argv.slice(0, i), command: argv.slice(i + 1) };
    if (!arg.startsWith('-') || arg === '-') return { own: argv.slice(0, i), command: argv.slice(i) };
    if (takesValue(arg)) i++;
  }
  return { own: [...argv], command: [] };
}
