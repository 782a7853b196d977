import type { ConfigReader } from '../built-ins.js';
import { isBundle, isReplacement, type Bundle, type Replacement } from '../container/bundle.js';
import { dependenciesOf, invalid, orderingOf, type Provider } from '../container/provider.js';
import { AgentkitError, CoreErrorCode, describeError } from '../errors.js';
import { tokenName, type Token } from '../token.js';
import { reportCycle, reportDuplicateNames, reportMissing, type DeclaredEdge, type PlanEdge } from './plan-checks.js';

/** The pseudo-bundle name of the providers the App itself supplies. */
export const APP_BUNDLE = 'app';

/** A bundle's place in the plan, and why. */
export interface BundleDecision {
  readonly name: string;
  readonly enabled: boolean;
  readonly reason: string;
}

/** One component as planned: where it came from, what it injects and what it starts after. */
export interface PlannedComponent {
  readonly token: Token<unknown>;
  readonly name: string;
  readonly bundle: string;
  readonly provider: Provider;
  readonly replaced: boolean;
  /** Injected dependencies that are provided (absent optional ones are left out). */
  readonly deps: readonly Token<unknown>[];
  /**
   * Ordering edges (`after`) that are provided and not already injected: the component starts
   * after them and stops before them, as with `deps`, but nothing is passed to it.
   */
  readonly after: readonly Token<unknown>[];
}

/** The validated graph: components in start order, and the bundle decisions behind it. */
export interface Plan {
  readonly components: readonly PlannedComponent[];
  readonly bundles: readonly BundleDecision[];
}

interface Candidate {
  provider: Provider;
  bundle: string;
  index: number;
  replaced: boolean;
}

/**
 * Turns bundles and replacements into a validated plan, constructing nothing: disabled
 * bundles are dropped, replacements applied, then missing providers, cycles and duplicate
 * names are reported with the full path, ordering edges (`after`) checked like injections. Built-ins join the graph only when something
 * injects them (or replaces them).
 */
export function buildPlan(
  items: readonly (Bundle | Replacement)[],
  builtIns: readonly Provider[],
  config: ConfigReader,
): Plan {
  const decisions = decideBundles(items, config);
  const enabled = new Set(decisions.filter((d) => d.enabled).map((d) => d.name));
  const candidates = new Map<Token<unknown>, Candidate>();
  let index = 0;
  for (const provider of builtIns) candidates.set(provider.token, { provider, bundle: APP_BUNDLE, index: index++, replaced: false });
  const builtInTokens = new Set(builtIns.map((p) => p.token));

  const replacements: { replacement: Replacement; origin: string }[] = [];
  for (const item of items) {
    if (isReplacement(item)) {
      replacements.push({ replacement: item, origin: 'createApp' });
      continue;
    }
    if (!enabled.has(item.name)) continue;
    for (const entry of item.providers) {
      if (isReplacement(entry)) {
        replacements.push({ replacement: entry, origin: `bundle "${item.name}"` });
        continue;
      }
      const existing = candidates.get(entry.token);
      if (existing !== undefined) {
        throw new AgentkitError(
          CoreErrorCode.DuplicateProvider,
          `"${tokenName(entry.token)}" is provided twice: by bundle "${existing.bundle}" and by bundle "${item.name}"; ` +
            'use replace() to swap one for the other',
        );
      }
      candidates.set(entry.token, { provider: entry, bundle: item.name, index: index++, replaced: false });
    }
  }
  applyReplacements(candidates, replacements);

  const declared = new Map<Token<unknown>, readonly DeclaredEdge[]>();
  for (const [tok, candidate] of candidates) declared.set(tok, declaredEdges(candidate.provider));

  const included = includedTokens(candidates, declared, builtInTokens);
  reportMissing(declared, (tok) => candidates.has(tok), included, (tok) => candidates.get(tok)?.bundle ?? APP_BUNDLE);
  const edges = new Map<Token<unknown>, PlanEdge[]>();
  for (const tok of included) edges.set(tok, providedEdges(declared.get(tok) ?? [], candidates));
  reportCycle(edges);
  reportDuplicateNames(included);

  const order = readyFirst(
    topologicalOrder(included, edges, (tok) => candidates.get(tok)?.index ?? 0),
    edges,
    (tok) => candidates.get(tok)?.provider.options.ready === true,
  );
  const components = order.map((tok): PlannedComponent => {
    const c = candidates.get(tok) as Candidate;
    const out = edges.get(tok) ?? [];
    const ofKind = (kind: PlanEdge['kind']): Token<unknown>[] => out.filter((e) => e.kind === kind).map((e) => e.token);
    return { token: tok, name: tokenName(tok), bundle: c.bundle, provider: c.provider, replaced: c.replaced, deps: ofKind('inject'), after: ofKind('after') };
  });
  return { components, bundles: decisions };
}

/** Injections first, then `after` edges; a token both injected and listed in `after` is one injection edge. */
function declaredEdges(provider: Provider): DeclaredEdge[] {
  const injected = dependenciesOf(provider).map((d): DeclaredEdge => ({ ...d, kind: 'inject' }));
  const seen = new Set(injected.map((d) => d.token));
  const ordering = orderingOf(provider)
    .filter((d) => !seen.has(d.token))
    .map((d): DeclaredEdge => ({ ...d, kind: 'after' }));
  return [...injected, ...ordering];
}

/** The declared edges whose token is provided (an absent optional one is no edge). */
function providedEdges(declared: readonly DeclaredEdge[], candidates: ReadonlyMap<Token<unknown>, Candidate>): PlanEdge[] {
  const out: PlanEdge[] = [];
  const seen = new Set<Token<unknown>>();
  for (const d of declared) {
    if (!candidates.has(d.token) || seen.has(d.token)) continue;
    seen.add(d.token);
    out.push({ token: d.token, kind: d.kind });
  }
  return out;
}

function decideBundles(items: readonly (Bundle | Replacement)[], config: ConfigReader): BundleDecision[] {
  const decisions: BundleDecision[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (isReplacement(item)) continue;
    if (!isBundle(item)) throw invalid('createApp(): each item must be a bundle() or a replace()');
    if (seen.has(item.name)) {
      throw new AgentkitError(CoreErrorCode.DuplicateName, `two bundles are named "${item.name}"; bundle names must be unique`);
    }
    seen.add(item.name);
    if (item.enabled === undefined) {
      decisions.push({ name: item.name, enabled: true, reason: 'always on' });
      continue;
    }
    let on: boolean;
    try {
      on = item.enabled(config);
    } catch (error) {
      throw invalid(`bundle "${item.name}": its enabled() predicate threw: ${describeError(error)}`, error);
    }
    decisions.push({ name: item.name, enabled: on === true, reason: on === true ? 'enabled by config' : 'disabled by config' });
  }
  return decisions;
}

function applyReplacements(
  candidates: Map<Token<unknown>, Candidate>,
  replacements: readonly { replacement: Replacement; origin: string }[],
): void {
  const done = new Map<Token<unknown>, string>();
  for (const { replacement, origin } of replacements) {
    const name = tokenName(replacement.token);
    const target = candidates.get(replacement.token);
    if (target === undefined) {
      throw new AgentkitError(
        CoreErrorCode.NothingToReplace,
        `replace("${name}") in ${origin}: no enabled bundle provides "${name}"; provide() it instead`,
      );
    }
    const previous = done.get(replacement.token);
    if (previous !== undefined) {
      throw new AgentkitError(CoreErrorCode.DuplicateProvider, `"${name}" is replaced twice: in ${previous} and in ${origin}`);
    }
    done.set(replacement.token, origin);
    candidates.set(replacement.token, { ...target, provider: replacement.provider, replaced: true });
  }
}

/** Every bundle component, plus the built-ins something injects (or starts after) or that were replaced. */
function includedTokens(
  candidates: Map<Token<unknown>, Candidate>,
  depsByToken: ReadonlyMap<Token<unknown>, readonly DeclaredEdge[]>,
  builtIns: ReadonlySet<Token<unknown>>,
): Token<unknown>[] {
  const wanted = new Set<Token<unknown>>();
  for (const [tok, c] of candidates) if (!builtIns.has(tok) || c.replaced) wanted.add(tok);
  // Built-ins may themselves be replaced by classes with dependencies: walk to a fixpoint.
  const queue = [...wanted];
  for (let tok = queue.pop(); tok !== undefined; tok = queue.pop()) {
    for (const dep of depsByToken.get(tok) ?? []) {
      if (candidates.has(dep.token) && !wanted.has(dep.token)) {
        wanted.add(dep.token);
        queue.push(dep.token);
      }
    }
  }
  return [...candidates.keys()].filter((tok) => wanted.has(tok));
}

/**
 * The components marked `ready` and everything they depend on (transitively), then the rest,
 * each part in `order`: still a start order (a dependency of the first part is in it; one of
 * the rest comes before it in `order`), with the ready point as early as it can be.
 */
function readyFirst(order: readonly Token<unknown>[], edges: ReadonlyMap<Token<unknown>, readonly PlanEdge[]>, isReady: (tok: Token<unknown>) => boolean): Token<unknown>[] {
  const first = new Set<Token<unknown>>();
  const visit = (tok: Token<unknown>): void => {
    if (first.has(tok)) return;
    first.add(tok);
    for (const { token } of edges.get(tok) ?? []) visit(token);
  };
  for (const tok of order) if (isReady(tok)) visit(tok);
  return [...order.filter((tok) => first.has(tok)), ...order.filter((tok) => !first.has(tok))];
}

/**
 * Kahn's algorithm: a component comes after everything it injects or starts after. Among components that are
 * ready at the same time, the one registered first goes first, so the order is deterministic.
 */
function topologicalOrder(
  tokens: readonly Token<unknown>[],
  edges: ReadonlyMap<Token<unknown>, readonly PlanEdge[]>,
  rank: (tok: Token<unknown>) => number,
): Token<unknown>[] {
  const waitingOn = new Map<Token<unknown>, number>();
  const dependents = new Map<Token<unknown>, Token<unknown>[]>();
  for (const tok of tokens) {
    const deps = edges.get(tok) ?? [];
    waitingOn.set(tok, deps.length);
    for (const { token: dep } of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), tok]);
  }
  const ready = tokens.filter((t) => waitingOn.get(t) === 0);
  const order: Token<unknown>[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => rank(a) - rank(b));
    const next = ready.shift() as Token<unknown>;
    order.push(next);
    for (const up of dependents.get(next) ?? []) {
      const left = (waitingOn.get(up) ?? 0) - 1;
      waitingOn.set(up, left);
      if (left === 0) ready.push(up);
    }
  }
  return order;
}
