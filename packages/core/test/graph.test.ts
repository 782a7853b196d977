import { describe, expect, it } from '@jest/globals';
import { bundle, createApp, replace } from '../src/index.js';
import { Journal, probe } from './helpers.js';

function pipeline() {
  const j = new Journal();
  const forwarder = probe(j, 'Forwarder');
  const serializer = probe(j, 'Serializer', [forwarder.token]);
  const listener = probe(j, 'Listener', [serializer.token]);
  return { j, forwarder, items: [bundle('ingest', [listener.provider]), bundle('egress', [serializer.provider, forwarder.provider])] };
}

describe('App.graph()', () => {
  it('lists nodes with their bundle, edges from each component to what it injects, and the start order', () => {
    const { j, items } = pipeline();
    const graph = createApp(items).graph();
    expect(graph.nodes).toEqual([
      { name: 'Forwarder', bundle: 'egress', kind: 'factory', replaced: false },
      { name: 'Serializer', bundle: 'egress', kind: 'factory', replaced: false },
      { name: 'Listener', bundle: 'ingest', kind: 'factory', replaced: false },
    ]);
    expect(graph.edges).toEqual([
      { from: 'Serializer', to: 'Forwarder', kind: 'inject' },
      { from: 'Listener', to: 'Serializer', kind: 'inject' },
    ]);
    expect(graph.startOrder).toEqual(['Forwarder', 'Serializer', 'Listener']);
    expect(j.constructed).toEqual([]); // describing the graph constructs nothing
  });

  it('renders DOT with a cluster per bundle and dashed replaced nodes', () => {
    const { forwarder, items } = pipeline();
    const dot = createApp([...items, replace(forwarder.token, {})]).toDot();
    expect(dot).toContain('digraph agentkit {');
    expect(dot).toContain('label="egress";');
    expect(dot).toContain('"Forwarder" [style=dashed];');
    expect(dot).toContain('"Listener" -> "Serializer";');
  });

  it('renders Mermaid and text', () => {
    const app = createApp(pipeline().items);
    const mermaid = app.toMermaid();
    expect(mermaid.startsWith('flowchart RL\n')).toBe(true);
    expect(mermaid).toContain('subgraph b1["ingest"]');
    expect(mermaid).toContain('n2 --> n1');
    expect(app.toText()).toContain('  3. Listener    [ingest]  ← Serializer');
  });
});
