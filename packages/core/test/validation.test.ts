import { describe, expect, it } from '@jest/globals';
import { AgentkitError, bundle, createApp, inject, injectable, provide, replace, token } from '../src/index.js';
import { Journal, probe } from './helpers.js';

function errorOf(fn: () => unknown): AgentkitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgentkitError) return error;
    throw error;
  }
  throw new Error('expected an AgentkitError');
}

describe('createApp validation (before anything is constructed)', () => {
  it('reports a missing provider with the chain of tokens that needs it', () => {
    const j = new Journal();
    const SERIALIZER = token<object>('Serializer');
    const demux = probe(j, 'Demux', [SERIALIZER]);
    const server = probe(j, 'Server', [demux.token]);
    const listener = probe(j, 'Listener', [server.token]);
    const error = errorOf(() => createApp([bundle('dogstatsd', [listener.provider, server.provider]), bundle('agg', [demux.provider])]));
    expect(error.code).toBe('ERR_CORE_MISSING_PROVIDER');
    expect(error.message).toContain('"Serializer" is not provided; needed by "Listener" → "Server" → "Demux" → "Serializer" (bundle "agg")');
    expect(j.constructed).toEqual([]);
  });

  it('accepts a missing optional dependency and injects undefined', async () => {
    const MAYBE = token<string>('Maybe');
    const USER = token<{ got: string | undefined }>('User');
    const app = createApp([
      bundle('x', [provide(USER, { deps: [{ token: MAYBE, optional: true }], useFactory: (got?: string) => ({ got }) })]),
    ]);
    expect(app.get(USER).got).toBeUndefined();
    expect(app.graph().edges).toEqual([]);
  });

  it('reports a cycle with its full path', () => {
    const A = token<object>('A');
    const B = token<object>('B');
    const C = token<object>('C');
    const error = errorOf(() =>
      createApp([
        bundle('x', [
          provide(A, { deps: [B], useFactory: () => ({}) }),
          provide(B, { deps: [C], useFactory: () => ({}) }),
          provide(C, { deps: [A], useFactory: () => ({}) }),
        ]),
      ]),
    );
    expect(error.code).toBe('ERR_CORE_DEPENDENCY_CYCLE');
    expect(error.message).toContain('dependency cycle: "A" → "B" → "C" → "A"');
  });

  it('finds cycles through class @inject edges too', () => {
    const P = token<object>('P');
    const Q = token<object>('Q');
    @injectable()
    class Pc {
      public constructor(@inject(Q) public q: object) {}
    }
    @injectable()
    class Qc {
      public constructor(@inject(P) public p: object) {}
    }
    expect(errorOf(() => createApp([bundle('x', [provide(P, Pc), provide(Q, Qc)])])).message).toContain('"P" → "Q" → "P"');
  });

  it('rejects two providers for one token, naming both bundles', () => {
    const A = token<number>('A');
    const error = errorOf(() => createApp([bundle('one', [provide(A, { useValue: 1 })]), bundle('two', [provide(A, { useValue: 2 })])]));
    expect(error.code).toBe('ERR_CORE_DUPLICATE_PROVIDER');
    expect(error.message).toContain('"A" is provided twice: by bundle "one" and by bundle "two"; use replace()');
  });

  it('rejects replace() of a token nothing provides, and two replacements of one token', () => {
    const A = token<number>('A');
    expect(errorOf(() => createApp([bundle('x', []), replace(A, 1)])).code).toBe('ERR_CORE_NOTHING_TO_REPLACE');
    const twice = errorOf(() => createApp([bundle('x', [provide(A, { useValue: 0 })]), replace(A, 1), replace(A, 2)]));
    expect(twice.code).toBe('ERR_CORE_DUPLICATE_PROVIDER');
  });

  it('rejects duplicate bundle names and two tokens sharing a name', () => {
    expect(errorOf(() => createApp([bundle('x', []), bundle('x', [])])).code).toBe('ERR_CORE_DUPLICATE_NAME');
    const first = token<number>('Same');
    const second = token<number>('Same');
    const error = errorOf(() => createApp([bundle('x', [provide(first, { useValue: 1 }), provide(second, { useValue: 2 })])]));
    expect(error.code).toBe('ERR_CORE_DUPLICATE_NAME');
  });

  it('rejects a class whose constructor parameters are not all injected', () => {
    class Bare {
      public constructor(public readonly x: number) {}
    }
    const error = errorOf(() => createApp([bundle('x', [provide(token<Bare>('Bare'), Bare)])]));
    expect(error.code).toBe('ERR_CORE_INVALID_PROVIDER');
    expect(error.message).toMatch(/class Bare .*every constructor parameter needs @inject\(TOKEN\)/s);
  });

  it('rejects malformed provide() calls with a clear message', () => {
    const A = token<number>('A');
    expect(errorOf(() => provide(A, { useFactory: () => 1 } as never)).message).toContain("a factory needs a 'deps' array");
    expect(errorOf(() => provide(A, { useValue: 1 }, { stopTimeoutMs: -1 })).message).toContain('stopTimeoutMs must be a positive');
    expect(errorOf(() => provide('A' as never, { useValue: 1 })).code).toBe('ERR_CORE_INVALID_PROVIDER');
  });
});
