import type { ConfigReader } from '../built-ins.js';
import type { Token } from '../token.js';
import { invalid, type ComponentClass, type Provider, checkToken } from './provider.js';

/** Decides from config whether a bundle is part of the app. */
export type BundlePredicate = (config: ConfigReader) => boolean;

/** A named, flat list of providers that config can switch on or off as a whole. */
export interface Bundle {
  readonly kind: 'bundle';
  readonly name: string;
  readonly providers: readonly (Provider | Replacement)[];
  readonly enabled?: BundlePredicate;
}

/** Replaces whatever provides `token`; see {@link replace}. */
export interface Replacement {
  readonly kind: 'replacement';
  readonly token: Token<unknown>;
  readonly provider: Provider;
}

/**
 * Groups providers under a name. `enabled` is evaluated against the app's config before the
 * graph is built; a disabled bundle contributes nothing (its replacements included).
 */
export function bundle(
  name: string,
  providers: readonly (Provider | Replacement)[],
  options: { readonly enabled?: BundlePredicate } = {},
): Bundle {
  if (typeof name !== 'string' || name.length === 0) throw invalid('bundle(name): name must be a non-empty string');
  const list: unknown = providers;
  if (!Array.isArray(list)) throw invalid(`bundle(${name}): providers must be an array`);
  for (const [i, item] of (list as unknown[]).entries()) {
    const ok = typeof item === 'object' && item !== null && 'kind' in item && typeof (item as Provider).token === 'symbol';
    if (!ok) throw invalid(`bundle(${name}): providers[${i}] is not a provide() or replace() result`);
  }
  if (options.enabled !== undefined && typeof options.enabled !== 'function') {
    throw invalid(`bundle(${name}): enabled must be a function of the config`);
  }
  return options.enabled === undefined
    ? { kind: 'bundle', name, providers: [...providers] }
    : { kind: 'bundle', name, providers: [...providers], enabled: options.enabled };
}

/**
 * Replaces the provider of `token`, wherever it comes from (built-ins included). A class is
 * constructed with its own injected dependencies; anything else (a plain object, a fake, a
 * number) is used as is. Every function counts as a class: to use a function as the value,
 * put it in an object.
 */
export function replace<T>(token: Token<T>, with_: ComponentClass<T> | T): Replacement {
  checkToken(token, 'replace');
  const provider: Provider =
    typeof with_ === 'function'
      ? { token, options: {}, kind: 'class', useClass: with_ as ComponentClass<unknown> }
      : { token, options: {}, kind: 'value', useValue: with_ };
  return { kind: 'replacement', token, provider };
}

/**
 * Replaces the provider of `provider.token` with a full provider: `provide(token, { deps,
 * useFactory }, { stopTimeoutMs })` when the replacement needs a factory, extra dependencies
 * or hook limits of its own (`replace` takes only a class or a value).
 */
export function replaceWith(provider: Provider): Replacement {
  checkToken(provider.token, 'replaceWith');
  return { kind: 'replacement', token: provider.token, provider };
}

export function isReplacement(item: unknown): item is Replacement {
  return typeof item === 'object' && item !== null && (item as Replacement).kind === 'replacement';
}

export function isBundle(item: unknown): item is Bundle {
  return typeof item === 'object' && item !== null && (item as Bundle).kind === 'bundle';
}
