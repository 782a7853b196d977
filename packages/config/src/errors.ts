import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/config. Match on these, never on message text. */
export const ConfigErrorCode = {
  /** One or more values failed validation; `problems` lists each (key, source, expectation). */
  InvalidValue: 'ERR_CONFIG_INVALID_VALUE',
  /** The config file is missing, unreadable, not YAML, or not a map at the top level. */
  File: 'ERR_CONFIG_FILE',
  /** Two different declarations use one key name in the collection given to `loadConfig`. */
  DuplicateKey: 'ERR_CONFIG_DUPLICATE_KEY',
  /** `defineKey` got a declaration that cannot work (bad name, default of the wrong type…). */
  InvalidDeclaration: 'ERR_CONFIG_INVALID_DECLARATION',
  /** `config.get(descriptor)` for a key that was not passed to `loadConfig`. */
  UndeclaredKey: 'ERR_CONFIG_UNDECLARED_KEY',
} as const;

export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

/** Where a value came from, lowest priority first. */
export type SourceKind = 'default' | 'runtime-default' | 'file' | 'env' | 'runtime';

/**
 * A value's origin: for `env` the variable name, for `file` the file's absolute path, for
 * `runtime-default` who set the defaults (e.g. `agentkit exec`).
 */
export interface ValueSource {
  readonly kind: SourceKind;
  readonly detail?: string;
}

/** One invalid value: which key, where it came from, what was expected and what was found. */
export interface ConfigProblem {
  readonly key: string;
  readonly source: ValueSource;
  /** e.g. `an integer from 0 to 65535`. */
  readonly expected: string;
  /** The offending value as written (a secret's value is masked). */
  readonly got: string;
}

/**
 * Every error @agentkit/config raises. For `ERR_CONFIG_INVALID_VALUE` the message has one line
 * per problem, e.g. `dogstatsd_port: expected an integer from 0 to 65535, got "abc" (from env
 * DD_DOGSTATSD_PORT)`, and `problems` holds them as data; for other codes `problems` is empty.
 */
export class ConfigError extends AgentkitError {
  public readonly problems: readonly ConfigProblem[];

  public constructor(code: ConfigErrorCode, message: string, problems: readonly ConfigProblem[] = [], options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }

  /** All `problems` in one error, one line each. */
  public static invalidValues(problems: readonly ConfigProblem[]): ConfigError {
    return new ConfigError(ConfigErrorCode.InvalidValue, problems.map(formatProblem).join('\n'), problems);
  }
}

/** `env DD_X`, `file /etc/agent.yaml`, `runtime override`, `runtime default (agentkit exec)`, `default`. */
export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'runtime-default':
      return source.detail === undefined ? 'runtime default' : `runtime default (${source.detail})`;
    case 'runtime':
      return 'runtime override';
    case 'env':
    case 'file':
      return source.detail === undefined ? source.kind : `${source.kind} ${source.detail}`;
  }
}

function formatProblem(problem: ConfigProblem): string {
  return `${problem.key}: expected ${problem.expected}, got ${problem.got} (from ${describeSource(problem.source)})`;
}
