import { describe, expect, it } from '@jest/globals';
import { Container, inject, injectable } from 'inversify';
import { getClassMetadata } from '@inversifyjs/core';
import { token, tokenName } from '../src/token.js';

const A = token<{ a: number }>('A');

@injectable()
class B {
  public constructor(@inject(A) public readonly a: { a: number }) {}
}

describe('smoke', () => {
  it('reads inject metadata', () => {
    const md = getClassMetadata(B);
    expect(md.constructorArguments.map((x) => ('value' in x ? x.value : null))).toEqual([A]);
    const c = new Container();
    c.bind(A).toConstantValue({ a: 1 });
    c.bind(B).toSelf().inSingletonScope();
    expect(c.get(B).a.a).toBe(1);
    expect(tokenName(A)).toBe('A');
  });
});
