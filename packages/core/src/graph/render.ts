import type { EdgeKind } from '../container/provider.js';
import { tokenName } from '../token.js';
import type { Plan } from './plan.js';

/** A component in the graph. `kind` says how it is built. */
export interface GraphNode {
  readonly name: string;
  readonly bundle: string;
  readonly kind: 'class' | 'factory' | 'value';
  readonly replaced: boolean;
}

/**
 * `to` starts before `from` and stops after it. `kind` says why: `inject`, `from` injects
 * `to`; `after`, `from` declares an ordering edge to `to` (`provide(…, { after: [TO] })`).
 */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

/** The app's components, their injection and ordering edges, and the order they start in. */
export interface AppGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Token names in start order; stop runs in the exact reverse. */
  readonly startOrder: readonly string[];
}

export function graphOf(plan: Plan): AppGraph {
  const nodes = plan.components.map(
    (c): GraphNode => ({ name: c.name, bundle: c.bundle, kind: c.provider.kind, replaced: c.replaced }),
  );
  const edges = plan.components.flatMap((c) => [
    ...c.deps.map((d): GraphEdge => ({ from: c.name, to: tokenName(d), kind: 'inject' })),
    ...c.after.map((d): GraphEdge => ({ from: c.name, to: tokenName(d), kind: 'after' })),
  ]);
  return { nodes, edges, startOrder: plan.components.map((c) => c.name) };
}

/**
 * Graphviz DOT: one cluster per bundle, an arrow from each component to what it injects, and a
 * dashed arrow labelled "after" for each ordering edge.
 */
export function toDot(graph: AppGraph): string {
  const lines = ['digraph agentkit {', '  rankdir=RL;', '  node [shape=box, fontname="Helvetica"];'];
  for (const [i, [bundle, nodes]] of [...byBundle(graph)].entries()) {
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(bundle)};`);
    for (const node of nodes) lines.push(`    ${quote(node.name)}${node.replaced ? ' [style=dashed]' : ''};`);
    lines.push('  }');
  }
  for (const edge of graph.edges) {
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${edge.kind === 'after' ? ' [style=dashed, label="after"]' : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * Mermaid flowchart: one subgraph per bundle, an arrow from each component to what it injects,
 * and a dotted arrow labelled "after" for each ordering edge.
 */
export function toMermaid(graph: AppGraph): string {
  const ids = new Map(graph.startOrder.map((name, i) => [name, `n${i}`]));
  const id = (name: string): string => ids.get(name) ?? 'unknown';
  const lines = ['flowchart RL'];
  for (const [i, [bundle, nodes]] of [...byBundle(graph)].entries()) {
    lines.push(`  subgraph b${i}["${escapeMermaid(bundle)}"]`);
    for (const node of nodes) lines.push(`    ${id(node.name)}["${escapeMermaid(node.name)}"]`);
    lines.push('  end');
  }
  for (const edge of graph.edges) lines.push(`  ${id(edge.from)} ${edge.kind === 'after' ? '-. after .->' : '-->'} ${id(edge.to)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Plain text for a terminal: start order with each component's bundle, what it injects (`←`)
 * and what it starts after without injecting it (`after`).
 */
export function toText(graph: AppGraph): string {
  const deps = new Map<string, string[]>();
  const after = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const into = edge.kind === 'after' ? after : deps;
    into.set(edge.from, [...(into.get(edge.from) ?? []), edge.to]);
  }
  const bundleOf = new Map(graph.nodes.map((n) => [n.name, n.bundle]));
  const width = Math.max(0, ...graph.startOrder.map((n) => n.length));
  const lines = [`${graph.nodes.length} components; start order (stop runs in reverse):`];
  for (const [i, name] of graph.startOrder.entries()) {
    const needs = deps.get(name);
    const follows = after.get(name);
    const suffix = (needs === undefined ? '' : `  ← ${needs.join(', ')}`) + (follows === undefined ? '' : `  after ${follows.join(', ')}`);
    lines.push(`${String(i + 1).padStart(3)}. ${name.padEnd(width)}  [${bundleOf.get(name) ?? '?'}]${suffix}`);
  }
  return `${lines.join('\n')}\n`;
}

function byBundle(graph: AppGraph): Map<string, GraphNode[]> {
  const groups = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) groups.set(node.bundle, [...(groups.get(node.bundle) ?? []), node]);
  return groups;
}

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;');
}
