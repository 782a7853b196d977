import { describe, expect, it } from '@jest/globals';
import { bundle, createApp, provide, token, type Bundle } from '../src/index.js';
import { Journal, probe } from './helpers.js';

/** A start hook that ends when the test says so. */
function gated(name: string, journal: Journal) {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const gate = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  const tok = token<object>(name);
  const provider = provide(tok, {
    useValue: {
      onStart: async () => {
        journal.entries.push(`start:${name}`);
        await gate;
      },
      onStop: () => void journal.entries.push(`stop:${name}`),
    },
  });
  return { token: tok, provider, open, fail };
}

/** A store, a listener feeding it (marked ready), and a status page registered before both. */
function agent(j: Journal, status: { provider: Bundle['providers'][number] }, ready = true): Bundle[] {
  const store = probe(j, 'Store');
  const listener = probe(j, 'Listener', [store.token], {}, ready ? { ready: true } : {});
  return [bundle('status', [status.provider]), bundle('pipeline', [store.provider, listener.provider])];
}

describe('provide(…, { ready: true }) and App.ready()', () => {
  it('starts the ready components and their dependencies first (without it the registration order wins)', () => {
    const j = new Journal();
    expect(createApp(agent(j, probe(j, 'Status'))).graph().startOrder).toEqual(['Store', 'Listener', 'Status']);
    expect(createApp(agent(j, probe(j, 'Status'), false)).graph().startOrder).toEqual(['Status', 'Store', 'Listener']);
  });

  it('resolves once the ready components have started, while the others are still starting', async () => {
    const j = new Journal();
    const status = gated('Status', j);
    const app = createApp(agent(j, status));
    const started = app.start();
    const first = await Promise.race([app.ready().then(() => 'ready'), started.then(() => 'started')]);
    expect(first).toBe('ready');
    expect(app.state).toBe('starting');
    status.open();
    await started;
    expect(app.state).toBe('started');
    expect(j.starts()).toEqual(['Store', 'Listener', 'Status']);
    await app.stop();
  });

  it('rolls the whole start back when a component fails after the ready point: start() rejects, ready() had resolved', async () => {
    const j = new Journal();
    const status = gated('Status', j);
    const app = createApp(agent(j, status));
    await app.ready();
    status.fail(new Error('port in use'));
    await expect(app.start()).rejects.toThrow('port in use');
    expect(j.stops()).toEqual(['Listener', 'Store']);
    expect(app.state).toBe('failed');
  });

  it('rejects when the start fails before the ready point', async () => {
    const j = new Journal();
    const store = probe(j, 'Store', [], { failStart: true });
    const listener = probe(j, 'Listener', [store.token], {}, { ready: true });
    const app = createApp([bundle('pipeline', [store.provider, listener.provider])]);
    await expect(app.ready()).rejects.toThrow('Store start boom');
    expect(j.starts()).toEqual(['Store']);
  });

  it('with no component marked, resolves when the whole start has (also when asked after it)', async () => {
    const j = new Journal();
    const status = gated('Status', j);
    const app = createApp(agent(j, status, false));
    const ready = app.ready().then(() => app.state);
    status.open();
    expect(await ready).toBe('started');
    await expect(app.ready()).resolves.toBeUndefined();
    await app.stop();
  });

  it('works with parallelStart too', async () => {
    const j = new Journal();
    const status = gated('Status', j);
    const app = createApp(agent(j, status), { parallelStart: true });
    await app.ready();
    expect(app.state).toBe('starting');
    status.open();
    await app.start();
    await app.stop();
  });
});
