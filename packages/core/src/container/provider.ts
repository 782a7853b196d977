import { ClassElementMetadataKind, getClassMetadata } from '@inversifyjs/core';
import type { ConfigReader } from '../built-ins.js';
import { AgentkitError, CoreErrorCode, describeError } from '../errors.js';
import { tokenName, type Token } from '../token.js';

/**
 * A hook timeout: milliseconds, or a function of the app's config, for a component whose own
 * deadline is a config key (the key is its share of the stop budget; 0 from a function: none,
 * its signal aborts at once).
 */
export type HookTimeout = number | ((config: ConfigReader) => number);

/**
 * An ordering edge: a token to start after (and stop before), or `{ token, optional: true }`
 * for "after it when it is in the app, no edge when nothing provides it" (its bundle is off).
 */
export type OrderingDependency = Token<unknown> | { readonly token: Token<unknown>; readonly optional: true };

/** Per-component options: hook timeouts (each inside the app's global one) and ordering edges. */
export interface ProviderOptions {
  readonly startTimeoutMs?: HookTimeout;
  readonly stopTimeoutMs?: HookTimeout;
  /**
   * Tokens this component starts after and stops before, without injecting them: for an order
   * that no injection edge carries (the forwarder and the local intake it ships to over HTTP).
   * Validated like injections before anything is constructed: a required one that nothing
   * provides is `ERR_CORE_MISSING_PROVIDER`, a loop through it `ERR_CORE_DEPENDENCY_CYCLE`.
   */
  readonly after?: readonly OrderingDependency[];
  /**
   * Part of the app's readiness (see `App.ready`): the app is ready once every component marked
   * `ready` has started. The start runs these, and what they depend on, before the others, so
   * the others (a status page, a metadata sender) start after the ready point instead of before
   * it. For what a client needs before it is let go (a listener `agentkit exec`'s program sends to).
   */
  readonly ready?: boolean;
}

// Any constructor: a component's parameters are its dependencies, so their types vary.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ComponentClass<T> = new (...args: any[]) => T;

/** A dependency of a factory: a token, or `{ token, optional: true }` (undefined when absent). */
export type FactoryDependency = Token<unknown> | { readonly token: Token<unknown>; readonly optional: true };

/** A factory provider: plain JavaScript friendly, its dependencies listed in `deps`. */
export interface FactorySpec<T> {
  readonly deps: readonly FactoryDependency[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly useFactory: (...deps: any[]) => T;
}

/** A ready-made value. If it has `onStart`/`onStop`, they are called like any component's. */
export interface ValueSpec<T> {
  readonly useValue: T;
}

/** One edge of the dependency graph, as declared by the provider. */
export interface Dependency {
  readonly token: Token<unknown>;
  readonly optional: boolean;
}

/** How an edge was declared: an injection (data flows along it) or an ordering edge (`after`). */
export type EdgeKind = 'inject' | 'after';

/** What `provide()` returns: how to build one token, and what it needs. */
export type Provider<T = unknown> = {
  readonly token: Token<T>;
  readonly options: ProviderOptions;
} & (
  | { readonly kind: 'class'; readonly useClass: ComponentClass<T> }
  | { readonly kind: 'factory'; readonly useFactory: FactorySpec<T>['useFactory']; readonly deps: readonly Dependency[] }
  | { readonly kind: 'value'; readonly useValue: T }
);

/**
 * Declares how to build `token`: with a class whose constructor parameters carry inversify's
 * `@inject(TOKEN)`, with a factory and its `deps`, or with a ready value.
 */
export function provide<T>(
  token: Token<T>,
  source: ComponentClass<T> | FactorySpec<T> | ValueSpec<T>,
  options: ProviderOptions = {},
): Provider<T> {
  checkToken(token, 'provide');
  checkOptions(token, options);
  if (typeof source === 'function') return { token, options, kind: 'class', useClass: source };
  if (typeof source === 'object' && source !== null) {
    if ('useFactory' in source && typeof source.useFactory === 'function') {
      const deps: unknown = source.deps;
      if (!Array.isArray(deps)) {
        throw invalid(`provide(${tokenName(token)}): a factory needs a 'deps' array (use [] for none)`);
      }
      const declared = (deps as unknown[]).map((dep, i) => factoryDependency(token, dep, i));
      return { token, options, kind: 'factory', useFactory: source.useFactory, deps: declared };
    }
    if ('useValue' in source) return { token, options, kind: 'value', useValue: source.useValue };
  }
  throw invalid(`provide(${tokenName(token)}): expected a class, { deps, useFactory } or { useValue }`);
}

/** The dependencies a provider declares: constructor and property `@inject`s, or factory deps. */
export function dependenciesOf(provider: Provider): readonly Dependency[] {
  switch (provider.kind) {
    case 'value':
      return [];
    case 'factory':
      return provider.deps;
    case 'class':
      return classDependencies(provider.token, provider.useClass);
  }
}

function classDependencies(owner: Token<unknown>, cls: ComponentClass<unknown>): Dependency[] {
  let metadata: ReturnType<typeof getClassMetadata>;
  try {
    metadata = getClassMetadata(cls);
  } catch (error) {
    throw invalid(
      `${tokenName(owner)}: cannot read the dependencies of class ${cls.name} (${describeError(error)}); ` +
        'every constructor parameter needs @inject(TOKEN), or use a factory with deps',
      error,
    );
  }
  const elements = [...metadata.constructorArguments, ...metadata.properties.values()];
  if (elements.length < cls.length) {
    throw invalid(
      `${tokenName(owner)}: class ${cls.name} takes ${cls.length} constructor parameter(s) but only ` +
        `${elements.length} carry @inject(TOKEN); inject every parameter, or use a factory with deps`,
    );
  }
  return elements.map((element) => {
    if (element.kind !== ClassElementMetadataKind.singleInjection) {
      throw invalid(
        `${tokenName(owner)}: class ${cls.name} uses @unmanaged or @multiInject, which the lifecycle ` +
          'container does not order; inject single tokens',
      );
    }
    const id = typeof element.value === 'object' && 'unwrap' in element.value ? element.value.unwrap() : element.value;
    if (typeof id !== 'symbol') {
      throw invalid(`${tokenName(owner)}: class ${cls.name} injects ${String(id)}, which is not a token() symbol`);
    }
    return { token: id, optional: element.optional };
  });
}

/** The ordering edges a provider declares (`after`), in the order given. */
export function orderingOf(provider: Provider): readonly Dependency[] {
  return (provider.options.after ?? []).map((dep) => asDependency(dep) as Dependency);
}

function factoryDependency(owner: Token<unknown>, dep: unknown, index: number): Dependency {
  const declared = asDependency(dep);
  if (declared === undefined) throw invalid(`provide(${tokenName(owner)}): deps[${index}] is not a token`);
  return declared;
}

/** A token, or `{ token, optional }`, as a Dependency; undefined when it is neither. */
function asDependency(dep: unknown): Dependency | undefined {
  if (typeof dep === 'symbol') return { token: dep, optional: false };
  if (typeof dep === 'object' && dep !== null && typeof (dep as { token?: unknown }).token === 'symbol') {
    const { token: tok, optional } = dep as { token: Token<unknown>; optional?: unknown };
    return { token: tok, optional: optional === true };
  }
  return undefined;
}

export function checkToken(token: unknown, where: string): void {
  if (typeof token !== 'symbol') throw invalid(`${where}(): the first argument must be a token() symbol`);
}

function checkOptions(token: Token<unknown>, options: ProviderOptions): void {
  for (const name of ['startTimeoutMs', 'stopTimeoutMs'] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== 'function' && !(typeof value === 'number' && value > 0)) {
      throw invalid(`provide(${tokenName(token)}): ${name} must be a positive number of milliseconds, or a function of the config`);
    }
  }
  const after: unknown = options.after;
  if (after === undefined) return;
  if (!Array.isArray(after)) throw invalid(`provide(${tokenName(token)}): after must be an array of tokens`);
  for (const [i, dep] of (after as unknown[]).entries()) {
    if (asDependency(dep) === undefined) {
      throw invalid(`provide(${tokenName(token)}): after[${i}] is not a token (or { token, optional: true })`);
    }
  }
}

export function invalid(message: string, cause?: unknown): AgentkitError {
  return new AgentkitError(CoreErrorCode.InvalidProvider, message, cause === undefined ? undefined : { cause });
}

/** The timeout in milliseconds, calling it with the app's config when it is a function. */
export function resolveHookTimeout(
  owner: string,
  name: 'startTimeoutMs' | 'stopTimeoutMs',
  timeout: HookTimeout | undefined,
  config: ConfigReader,
): number | undefined {
  if (typeof timeout !== 'function') return timeout;
  const value = timeout(config);
  if (!(typeof value === 'number' && value >= 0)) {
    throw invalid(`${owner}: ${name}(config) returned ${String(value)}, not a positive number of milliseconds (or 0)`);
  }
  return value;
}
