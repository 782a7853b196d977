import type { EdgeKind } from '../container/provider.js';
import { AgentkitError, CoreErrorCode } from '../errors.js';
import { tokenName, type Token } from '../token.js';

/** A declared edge, injection or ordering, before it is known to be provided. */
export interface DeclaredEdge {
  readonly token: Token<unknown>;
  readonly optional: boolean;
  readonly kind: EdgeKind;
}

/** A provided edge: `kind` says whether it is an injection or an ordering edge (`after`). */
export interface PlanEdge {
  readonly token: Token<unknown>;
  readonly kind: EdgeKind;
}

/**
 * Every required edge, injection or `after`, whose token nothing provides, each with the chain
 * of components that leads to it. `bundleOf` names where the component that declares it comes from.
 */
export function reportMissing(
  declared: ReadonlyMap<Token<unknown>, readonly DeclaredEdge[]>,
  provided: (tok: Token<unknown>) => boolean,
  included: readonly Token<unknown>[],
  bundleOf: (tok: Token<unknown>) => string,
): void {
  const dependents = new Map<Token<unknown>, Token<unknown>[]>();
  for (const tok of included) {
    for (const dep of declared.get(tok) ?? []) {
      const list = dependents.get(dep.token) ?? [];
      list.push(tok);
      dependents.set(dep.token, list);
    }
  }
  const lines: string[] = [];
  for (const tok of included) {
    for (const dep of declared.get(tok) ?? []) {
      if (dep.optional || provided(dep.token)) continue;
      const path = chainTo(tok, dependents).map((n) => `"${n}"`).join(' → ');
      const missing = `"${tokenName(dep.token)}"`;
      const how =
        dep.kind === 'inject'
          ? `needed by ${path} → ${missing}`
          : `${path} is declared to start after it (after: [${tokenName(dep.token)}]; use { token, optional: true } if it may be absent)`;
      lines.push(`${missing} is not provided; ${how} (bundle "${bundleOf(tok)}")`);
    }
  }
  if (lines.length > 0) {
    throw new AgentkitError(
      CoreErrorCode.MissingProvider,
      `missing provider${lines.length > 1 ? 's' : ''}:\n  - ${lines.join('\n  - ')}\n` +
        'Add the bundle that provides it, or provide() it yourself.',
    );
  }
}

/** A path of names from a component nobody depends on down to `tok`. */
function chainTo(tok: Token<unknown>, dependents: Map<Token<unknown>, Token<unknown>[]>): string[] {
  const path = [tok];
  const seen = new Set(path);
  for (let up = dependents.get(tok)?.[0]; up !== undefined && !seen.has(up); up = dependents.get(up)?.[0]) {
    path.unshift(up);
    seen.add(up);
  }
  return path.map((t) => tokenName(t));
}

/**
 * Throws `ERR_CORE_DEPENDENCY_CYCLE` with the full path of the first cycle found; an ordering
 * hop is written `-after→` so a loop that only `after` closes is told apart from an injection loop.
 */
export function reportCycle(edges: ReadonlyMap<Token<unknown>, readonly PlanEdge[]>): void {
  const state = new Map<Token<unknown>, 'visiting' | 'done'>();
  const stack: PlanEdge[] = [];
  const visit = (tok: Token<unknown>, via: EdgeKind): void => {
    state.set(tok, 'visiting');
    stack.push({ token: tok, kind: via });
    for (const dep of edges.get(tok) ?? []) {
      const s = state.get(dep.token);
      if (s === 'visiting') {
        const from = stack.findIndex((e) => e.token === dep.token);
        const hops = [...stack.slice(from + 1), dep];
        const path = hops.reduce((text, hop) => `${text} ${hop.kind === 'after' ? '-after→' : '→'} "${tokenName(hop.token)}"`, `"${tokenName(dep.token)}"`);
        const ordering = hops.some((h) => h.kind === 'after');
        throw new AgentkitError(
          CoreErrorCode.DependencyCycle,
          `dependency cycle: ${path}; ` +
            (ordering
              ? 'an ordering edge (after) closes it: drop the after, or the injection that contradicts it'
              : 'break it by moving shared state into a component both inject'),
        );
      }
      if (s === undefined) visit(dep.token, dep.kind);
    }
    stack.pop();
    state.set(tok, 'done');
  };
  for (const tok of edges.keys()) if (!state.has(tok)) visit(tok, 'inject');
}

export function reportDuplicateNames(tokens: readonly Token<unknown>[]): void {
  const seen = new Set<string>();
  for (const tok of tokens) {
    const name = tokenName(tok);
    if (seen.has(name)) {
      throw new AgentkitError(
        CoreErrorCode.DuplicateName,
        `two different tokens are named "${name}"; token names must be unique within an app so messages are unambiguous`,
      );
    }
    seen.add(name);
  }
}
