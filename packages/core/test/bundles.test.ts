import { describe, expect, it } from '@jest/globals';
import { bundle, CONFIG, createApp, provide, token, type ConfigReader } from '../src/index.js';
import { Journal, probe } from './helpers.js';

describe('bundles toggled by config', () => {
  const makeBundles = (j: Journal) => {
    const core = probe(j, 'Core');
    const udp = probe(j, 'UdpListener', [core.token]);
    return [
      bundle('core', [core.provider]),
      bundle('udp', [udp.provider], { enabled: (config) => config.get('use_dogstatsd') === true }),
    ];
  };

  it('removes a disabled bundle before the graph is built', async () => {
    const j = new Journal();
    const app = createApp(makeBundles(j), { config: { use_dogstatsd: false } });
    expect(app.graph().startOrder).toEqual(['Core']);
    expect(app.bundles()).toEqual([
      { name: 'core', enabled: true, reason: 'always on' },
      { name: 'udp', enabled: false, reason: 'disabled by config' },
    ]);
    await app.start();
    await app.stop();
    expect(j.constructed).toEqual(['Core']);
  });

  it('find() answers undefined for what a disabled bundle would have provided, where get() throws', () => {
    const j = new Journal();
    const core = probe(j, 'Core');
    const udp = probe(j, 'UdpListener', [core.token]);
    const app = createApp([bundle('core', [core.provider]), bundle('udp', [udp.provider], { enabled: () => false })]);
    expect(app.find(udp.token)).toBeUndefined();
    expect(() => app.get(udp.token)).toThrow(expect.objectContaining({ code: 'ERR_CORE_NOT_PROVIDED' }));
    expect(app.find(core.token)).toBe(app.get(core.token));
  });

  it('keeps an enabled bundle, reading a ConfigReader or a nested plain object', () => {
    const reader: ConfigReader = { get: (key: string | { key: string }) => (key === 'use_dogstatsd' ? true : undefined) } as ConfigReader;
    expect(createApp(makeBundles(new Journal()), { config: reader }).graph().startOrder).toEqual(['Core', 'UdpListener']);
    const nested = createApp([bundle('v2', [], { enabled: (c) => c.get('use_v2_api.series') === true })], {
      config: { use_v2_api: { series: true } },
    });
    expect(nested.bundles()[0]?.enabled).toBe(true);
  });

  it('does not let a missing provider in a disabled bundle fail the app', () => {
    const MISSING = token<object>('Missing');
    const app = createApp([bundle('off', [probe(new Journal(), 'Needy', [MISSING]).provider], { enabled: () => false })]);
    expect(app.graph().nodes).toEqual([]);
  });

  it('injects the config into components as CONFIG, typed descriptors falling back to defaults', () => {
    const PORT = { key: 'dogstatsd_port', default: 8125 };
    const USER = token<{ port: number; site: unknown }>('User');
    const app = createApp(
      [bundle('x', [provide(USER, { deps: [CONFIG], useFactory: (c: ConfigReader) => ({ port: c.get(PORT), site: c.get('site') }) })])],
      { config: { site: 'datadoghq.eu' } },
    );
    expect(app.get(USER)).toEqual({ port: 8125, site: 'datadoghq.eu' });
    expect(app.graph().startOrder).toEqual(['Config', 'User']);
  });

  it('reports a throwing enabled() predicate with the bundle name', () => {
    expect(() =>
      createApp([
        bundle('flaky', [], {
          enabled: () => {
            throw new Error('bad key');
          },
        }),
      ]),
    ).toThrow('bundle "flaky": its enabled() predicate threw: bad key');
  });
});
