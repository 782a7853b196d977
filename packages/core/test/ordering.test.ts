import { describe, expect, it } from '@jest/globals';
import { bundle, createApp, CoreErrorCode, provide, token, type AgentkitError } from '../src/index.js';
import { Journal, probe } from './helpers.js';

function thrown(fn: () => unknown): AgentkitError {
  try {
    fn();
  } catch (error) {
    return error as AgentkitError;
  }
  throw new Error('expected a throw');
}

/** An intake and a forwarder that ships to it over the network: no injection between them. */
function pair(j: Journal, options: { after?: boolean; startMs?: number } = {}) {
  const intake = probe(j, 'Intake', [], { startMs: options.startMs ?? 0, stopMs: options.startMs ?? 0 });
  const forwarder = probe(j, 'Forwarder', [], { startMs: options.startMs ?? 0, stopMs: options.startMs ?? 0 }, options.after === false ? {} : { after: [intake.token] });
  // The forwarder is registered first: without the edge it would start first.
  return { intake, forwarder, items: [bundle('egress', [forwarder.provider]), bundle('intake', [intake.provider])] };
}

describe('provide(…, { after })', () => {
  it('starts the component after the token and stops it before', async () => {
    const j = new Journal();
    const app = createApp(pair(j).items);
    expect(app.graph().startOrder).toEqual(['Intake', 'Forwarder']);
    await app.start();
    await app.stop();
    expect(j.starts()).toEqual(['Intake', 'Forwarder']);
    expect(j.stops()).toEqual(['Forwarder', 'Intake']);
  });

  it('passes nothing to a factory that declares only an ordering edge', () => {
    const target = token<object>('Target');
    const user = token<{ args: unknown[] }>('User');
    const app = createApp([
      bundle('b', [provide(target, { useValue: {} }), provide(user, { deps: [], useFactory: (...args: unknown[]) => ({ args }) }, { after: [target] })]),
    ]);
    expect(app.get(user).args).toEqual([]);
    expect(app.graph().startOrder).toEqual(['Target', 'User']);
  });

  it('without the edge the registration order wins (the test above is not a coincidence)', () => {
    const { items } = pair(new Journal(), { after: false });
    expect(createApp(items).graph().startOrder).toEqual(['Forwarder', 'Intake']);
  });

  it('reports a required ordering edge that nothing provides with its chain, before constructing anything', () => {
    const j = new Journal();
    const missing = token('LocalIntake');
    const forwarder = probe(j, 'Forwarder', [], {}, { after: [missing] });
    const serializer = probe(j, 'Serializer', [forwarder.token]);
    const error = thrown(() => createApp([bundle('egress', [serializer.provider, forwarder.provider])]));
    expect(error.code).toBe(CoreErrorCode.MissingProvider);
    expect(error.message).toContain('"LocalIntake" is not provided; "Serializer" → "Forwarder" is declared to start after it');
    expect(error.message).toContain('(bundle "egress")');
    expect(j.constructed).toEqual([]);
  });

  it('treats a required edge to a token whose bundle is off as missing, naming the optional form', () => {
    const j = new Journal();
    const { items } = pair(j);
    const [egress, intake] = items as [ReturnType<typeof bundle>, ReturnType<typeof bundle>];
    const off = bundle(intake.name, intake.providers, { enabled: () => false });
    const error = thrown(() => createApp([egress, off]));
    expect(error.code).toBe(CoreErrorCode.MissingProvider);
    expect(error.message).toContain('use { token, optional: true } if it may be absent');
  });

  it('drops an optional ordering edge when its bundle is switched off, and keeps it when on', async () => {
    const j = new Journal();
    const intake = probe(j, 'Intake');
    const forwarder = probe(j, 'Forwarder', [], {}, { after: [{ token: intake.token, optional: true }] });
    const items = (on: boolean) => [bundle('egress', [forwarder.provider]), bundle('intake', [intake.provider], { enabled: () => on })];

    const without = createApp(items(false));
    expect(without.graph()).toMatchObject({ startOrder: ['Forwarder'], edges: [] });
    await without.start();
    await without.stop();
    expect(j.starts()).toEqual(['Forwarder']);

    const withIt = createApp(items(true));
    expect(withIt.graph()).toMatchObject({ startOrder: ['Intake', 'Forwarder'], edges: [{ from: 'Forwarder', to: 'Intake', kind: 'after' }] });
  });

  it('reports a cycle closed by an ordering edge with its full path, the ordering hop marked', () => {
    const j = new Journal();
    const a = token<object>('A');
    const c = probe(j, 'C', [a]);
    const b = probe(j, 'B', [c.token]);
    const aProvider = provide(a, { deps: [], useFactory: () => ({}) }, { after: [b.token] });
    const error = thrown(() => createApp([bundle('x', [aProvider, b.provider, c.provider])]));
    expect(error.code).toBe(CoreErrorCode.DependencyCycle);
    expect(error.message).toContain('dependency cycle: "A" -after→ "B" → "C" → "A"');
    expect(error.message).toContain('an ordering edge (after) closes it');
  });

  it('reports a component ordered after itself as a cycle', () => {
    const self = token<object>('Self');
    const error = thrown(() => createApp([bundle('x', [provide(self, { useValue: {} }, { after: [self] })])]));
    expect(error).toMatchObject({ code: CoreErrorCode.DependencyCycle, message: expect.stringContaining('"Self" -after→ "Self"') });
  });

  it.each([
    ['not an array', 'x'],
    ['a string in the array', ['Intake']],
    ['an object without a token', [{ optional: true }]],
  ])('rejects after that is %s', (_what, after) => {
    const tok = token<object>('T');
    const error = thrown(() => provide(tok, { useValue: {} }, { after } as never));
    expect(error.code).toBe(CoreErrorCode.InvalidProvider);
    expect(error.message).toContain('provide(T): after');
  });

  it('keeps one injection edge for a token both injected and listed in after', () => {
    const j = new Journal();
    const intake = probe(j, 'Intake');
    const forwarder = probe(j, 'Forwarder', [intake.token], {}, { after: [intake.token] });
    expect(createApp([bundle('b', [forwarder.provider, intake.provider])]).graph().edges).toEqual([{ from: 'Forwarder', to: 'Intake', kind: 'inject' }]);
  });

  it('is honoured by parallelStart: the two never run at once, and stop mirrors start', async () => {
    const j = new Journal();
    const app = createApp(pair(j, { startMs: 30 }).items, { parallelStart: true });
    await app.start();
    expect(j.starts()).toEqual(['Intake', 'Forwarder']);
    expect(j.maxRunning).toBe(1);
    await app.stop();
    expect(j.stops()).toEqual(['Forwarder', 'Intake']);
    expect(j.maxRunning).toBe(1);
  });

  it('without the edge parallelStart runs the two together (what the edge prevents)', async () => {
    const j = new Journal();
    const app = createApp(pair(j, { startMs: 30, after: false }).items, { parallelStart: true });
    await app.start();
    await app.stop();
    expect(j.maxRunning).toBe(2);
  });
});

describe('ordering edges in the graph', () => {
  const app = () => createApp(pair(new Journal()).items);

  it('lists them with kind "after", injection edges with kind "inject"', () => {
    const j = new Journal();
    const intake = probe(j, 'Intake');
    const serializer = probe(j, 'Serializer');
    const forwarder = probe(j, 'Forwarder', [serializer.token], {}, { after: [intake.token] });
    const graph = createApp([bundle('b', [forwarder.provider, serializer.provider, intake.provider])]).graph();
    expect(graph.edges).toEqual([
      { from: 'Forwarder', to: 'Serializer', kind: 'inject' },
      { from: 'Forwarder', to: 'Intake', kind: 'after' },
    ]);
    expect(graph.startOrder).toEqual(['Serializer', 'Intake', 'Forwarder']);
  });

  it('draws them dashed and labelled "after" in DOT', () => {
    expect(app().toDot()).toContain('"Forwarder" -> "Intake" [style=dashed, label="after"];');
  });

  it('draws them as a labelled dotted arrow in Mermaid', () => {
    expect(app().toMermaid()).toContain('n1 -. after .-> n0');
  });

  it('writes them as "after" in text', () => {
    expect(app().toText()).toContain('  2. Forwarder  [egress]  after Intake');
  });
});
