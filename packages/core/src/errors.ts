import type { StopResult } from './lifecycle/stop-budget.js';

/**
 * Every error agentkit raises on purpose carries a stable `code` (`ERR_<PACKAGE>_<WHAT>`), so
 * callers and tests match on codes, never on message text. Packages extend this class.
 */
export class AgentkitError extends Error {
  public readonly code: string;

  public constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AgentkitError';
    this.code = code;
  }

  /** True for any agentkit error, optionally of one code. */
  public static is(value: unknown, code?: string): value is AgentkitError {
    return value instanceof AgentkitError && (code === undefined || value.code === code);
  }
}

/** The stable codes of @agentkit/core. Listed in docs/errors.md. */
export const CoreErrorCode = {
  /** `provide()`, `bundle()` or `replace()` was called with arguments of the wrong shape. */
  InvalidProvider: 'ERR_CORE_INVALID_PROVIDER',
  /** A component depends on a token that no enabled bundle provides. */
  MissingProvider: 'ERR_CORE_MISSING_PROVIDER',
  /** Components depend on each other in a cycle. */
  DependencyCycle: 'ERR_CORE_DEPENDENCY_CYCLE',
  /** Two providers for one token, and neither is a `replace()`. */
  DuplicateProvider: 'ERR_CORE_DUPLICATE_PROVIDER',
  /** Two bundles with one name, or two tokens with one name, in one app. */
  DuplicateName: 'ERR_CORE_DUPLICATE_NAME',
  /** `replace()` names a token that nothing provides. */
  NothingToReplace: 'ERR_CORE_NOTHING_TO_REPLACE',
  /** A component's constructor or factory threw. */
  ConstructFailed: 'ERR_CORE_CONSTRUCT_FAILED',
  /** A component's `onStart` or `onStop` threw or rejected. */
  HookFailed: 'ERR_CORE_HOOK_FAILED',
  /** A component's `onStart` or `onStop` did not settle within its timeout. */
  HookTimeout: 'ERR_CORE_HOOK_TIMEOUT',
  /** One or more `onStop` hooks failed; the error is an AggregateError of HookErrors. */
  StopFailed: 'ERR_CORE_STOP_FAILED',
  /** `start()` after the app was stopped, or a failed start. */
  InvalidState: 'ERR_CORE_INVALID_STATE',
  /** `get()` of a token the app does not provide. */
  NotProvided: 'ERR_CORE_NOT_PROVIDED',
} as const;

export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];

/** Which lifecycle step an error or event belongs to. */
export type LifecyclePhase = 'construct' | 'start' | 'stop';

/**
 * A component's hook (or constructor) failed or timed out. The message names the component,
 * the phase and the elapsed time; `cause` is what the hook threw.
 */
export class HookError extends AgentkitError {
  public readonly component: string;
  public readonly phase: LifecyclePhase;
  public readonly elapsedMs: number;
  /** On a failed start: errors of the rollback that followed it, if any. */
  public rollbackErrors: readonly HookError[] = [];

  public constructor(
    code: CoreErrorCode,
    component: string,
    phase: LifecyclePhase,
    elapsedMs: number,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(code, `${hookLabel(phase)} of "${component}" ${detail} after ${elapsedMs} ms`, options);
    this.name = 'HookError';
    this.component = component;
    this.phase = phase;
    this.elapsedMs = elapsedMs;
  }
}

/**
 * `stop()` ran every hook but some failed or did not finish in time: `errors` holds one
 * HookError per hook, `result` the whole stop's result (set by the App).
 */
export class StopError extends AggregateError {
  public readonly code = CoreErrorCode.StopFailed;
  public readonly result: StopResult | undefined;

  public constructor(errors: readonly HookError[], result?: StopResult) {
    const names = errors.map((e) => `"${e.component}"`).join(', ');
    super(errors, `stop failed for ${errors.length} component(s): ${names}\n${errors.map((e) => `  - ${e.message}`).join('\n')}`);
    this.name = 'StopError';
    this.result = result;
  }
}

function hookLabel(phase: LifecyclePhase): string {
  switch (phase) {
    case 'construct':
      return 'construction';
    case 'start':
      return 'onStart';
    case 'stop':
      return 'onStop';
  }
}

/** A readable one-line description of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
