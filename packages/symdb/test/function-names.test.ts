import { describe, expect, it } from '@jest/globals';
import vm from 'node:vm';
import ts from 'typescript';
import { loadParser, ScopeBuilder, type Scope } from '@agentkit/symdb';

// Functions are named as JavaScript names them (ECMAScript NamedEvaluation, seen as `fn.name`).
// Each case lists, in source order, the name of every function, method, closure and class scope
// we extract, with an expression that evaluates to that function in the same code: Node itself
// must report the same `.name` (JavaScript's empty name is `<anonymous>` here), so the test
// states the language's rule, not our reading of it.

/** Stands for the module's default export, which has no local binding to write in an expression. */
const DEFAULT_EXPORT = '*default*';

interface Case {
  readonly form: string;
  readonly code: string;
  /** [our name, the expression whose `.name` Node gives (null: no function of its own, e.g. a constructor)] */
  readonly scopes: readonly (readonly [string, string | null])[];
}

const JS_CASES: readonly Case[] = [
  {
    form: 'a default-parameter arrow',
    code: 'function f(cb = (x) => x) { return cb; }',
    scopes: [
      ['f', 'f'],
      ['cb', 'f()'],
    ],
  },
  {
    form: 'defaults inside a destructured parameter',
    code: 'function g({ onDone = () => {} } = {}, [onError = function () {}] = []) { return [onDone, onError]; }',
    scopes: [
      ['g', 'g'],
      ['onDone', 'g()[0]'],
      ['onError', 'g()[1]'],
    ],
  },
  {
    form: 'defaults in destructuring declarations (the binding, not the key, names it)',
    code: 'const { a = () => 1, b: renamed = () => 2 } = {};\nconst [first = class {}] = [];',
    scopes: [
      ['a', 'a'],
      ['renamed', 'renamed'],
      ['first', 'first'],
    ],
  },
  {
    form: 'defaults in destructuring assignments',
    code: 'let a, c;\n({ a = () => 1 } = {});\n[c = function () {}] = [];',
    scopes: [
      ['a', 'a'],
      ['c', 'c'],
    ],
  },
  {
    form: 'object-literal methods and properties, literal keys computed or not',
    code: [
      'const o = {',
      '  m() {},',
      '  p: () => 1,',
      "  'q-r': function () {},",
      '  1.50: () => 1,',
      "  ['lit']: () => 1,",
      '  [`tpl`]: () => 1,',
      '  [2]: () => 1,',
      '  [-1]: () => 1,',
      '  async *gen() {},',
      '  [Symbol.iterator]() {},',
      '  named: function own() {},',
      '  K: class {},',
      '};',
    ].join('\n'),
    scopes: [
      ['m', 'o.m'],
      ['p', 'o.p'],
      ['q-r', "o['q-r']"],
      ['1.5', "o['1.5']"],
      ['lit', 'o.lit'],
      ['tpl', 'o.tpl'],
      ['2', 'o[2]'],
      ['-1', 'o[-1]'],
      ['gen', 'o.gen'],
      ['[Symbol.iterator]', 'o[Symbol.iterator]'],
      ['own', 'o.named'],
      ['K', 'o.K'],
    ],
  },
  {
    form: 'object-literal getters and setters',
    code: 'const o = { get x() { return 1; }, set x(v) {} };\nconst d = () => Object.getOwnPropertyDescriptor(o, "x");',
    scopes: [
      ['get x', 'd().get'],
      ['set x', 'd().set'],
      ['d', 'd'],
    ],
  },
  {
    form: '__proto__: in an object literal sets the prototype and names nothing',
    code: 'const o = { __proto__: function () {} };',
    scopes: [['<anonymous>', 'Object.getPrototypeOf(o)']],
  },
  {
    form: 'class fields, static and private, methods, accessors and computed keys',
    code: [
      'class A {',
      '  h = () => 1;',
      '  static s = function () {};',
      '  #p = () => 1;',
      '  static read(a) { return a.#p; }',
      '  m() {}',
      '  get g() { return 1; }',
      '  set g(v) {}',
      '  static [Symbol.iterator]() {}',
      "  ['lit']() {}",
      '  static Inner = class {};',
      '}',
      'const d = () => Object.getOwnPropertyDescriptor(A.prototype, "g");',
    ].join('\n'),
    scopes: [
      ['A', 'A'],
      ['h', 'new A().h'],
      ['s', 'A.s'],
      ['#p', 'A.read(new A())'],
      ['read', 'A.read'],
      ['m', 'A.prototype.m'],
      ['get g', 'd().get'],
      ['set g', 'd().set'],
      ['[Symbol.iterator]', 'A[Symbol.iterator]'],
      ['lit', 'A.prototype.lit'],
      ['Inner', 'A.Inner'],
      ['d', 'd'],
    ],
  },
  {
    form: 'variable declarators, own names first',
    code: 'const g = () => 1;\nlet h = function () {};\nvar k = class {};\nconst a = function inner() {};',
    scopes: [
      ['g', 'g'],
      ['h', 'h'],
      ['k', 'k'],
      ['inner', 'a'],
    ],
  },
  {
    form: 'assignments to identifiers, logical ones included',
    code: 'let x, y, z;\nx = function () {};\ny ??= () => 1;\nz = 1;\nz &&= class {};',
    scopes: [
      ['x', 'x'],
      ['y', 'y'],
      ['z', 'z'],
    ],
  },
  {
    form: 'a function passed as an argument stays anonymous',
    code: 'function take(f) { return f; }\nconst t = take(() => 1);',
    scopes: [
      ['take', 'take'],
      ['<anonymous>', 't'],
    ],
  },
  { form: 'export default of an anonymous function', code: 'export default function () {}', scopes: [['default', DEFAULT_EXPORT]] },
  { form: 'export default of an arrow', code: 'export default () => 1;', scopes: [['default', DEFAULT_EXPORT]] },
  { form: 'export default of an anonymous class', code: 'export default class {}', scopes: [['default', DEFAULT_EXPORT]] },
];

const TS_CASES: readonly Case[] = [
  {
    form: 'type-only wrappers (as, satisfies, !, <T>) around the function',
    code: 'const f = (() => 1) as () => number;\nconst g = (function () {}) satisfies object;\nconst h = (() => 1)!;\nconst k = <() => void>(() => {});',
    scopes: [
      ['f', 'f'],
      ['g', 'g'],
      ['h', 'h'],
      ['k', 'k'],
    ],
  },
  {
    form: 'a parameter property with a default',
    code: 'class P {\n  constructor(private readonly cb: () => number = () => 1) {}\n  get value(): number { return this.cb(); }\n}\nconst read = (p: P) => (p as unknown as { cb: () => number }).cb;',
    scopes: [
      ['P', 'P'],
      ['constructor', null],
      ['cb', 'read(new P())'],
      ['get value', 'Object.getOwnPropertyDescriptor(P.prototype, "value").get'],
      ['read', 'read'],
    ],
  },
];

async function extractNames(parserName: 'oxc' | 'acorn', file: string, code: string): Promise<string[]> {
  const parser = await loadParser(parserName);
  const parsed = parser.parse(file, code);
  if (!parsed.ok) throw new Error(parsed.message);
  const names: string[] = [];
  const walk = (scope: Scope): void => {
    if (scope.scope_type !== 'module' && scope.scope_type !== 'local') names.push(scope.name);
    for (const child of scope.scopes ?? []) walk(child);
  };
  walk(new ScopeBuilder(code, file).build(parsed.program, 'hash'));
  return names;
}

/** What Node reports as `.name` for each expression, evaluated in `code` run as an ES module. */
async function nodeNames(code: string, expressions: readonly string[]): Promise<string[]> {
  const locals = expressions.filter((e) => e !== DEFAULT_EXPORT);
  const module = new vm.SourceTextModule(`${code}\nexport const __values = () => [${locals.join(', ')}];`, { context: vm.createContext({}) });
  await module.link(() => {
    throw new Error('the snippets import nothing');
  });
  await module.evaluate();
  const namespace = module.namespace as { default?: { name: string }; __values: () => { name: string }[] };
  const values = namespace.__values();
  return expressions.map((e) => (e === DEFAULT_EXPORT ? namespace.default : values.shift())?.name || '<anonymous>');
}

function javascriptOf(typescript: string): string {
  return ts.transpileModule(typescript, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
}

const evaluated = (c: Case): string[] => c.scopes.flatMap(([, expression]) => (expression === null ? [] : [expression]));
const namedByUs = (c: Case): string[] => c.scopes.flatMap(([name, expression]) => (expression === null ? [] : [name]));

describe('function names: what JavaScript calls them', () => {
  it.each(JS_CASES.map((c) => [c.form, c] as const))('%s: Node agrees', async (_form, c) => {
    expect(await nodeNames(c.code, evaluated(c))).toEqual(namedByUs(c));
  });

  it.each(TS_CASES.map((c) => [c.form, c] as const))('%s (TypeScript, as compiled): Node agrees', async (_form, c) => {
    expect(await nodeNames(javascriptOf(c.code), evaluated(c))).toEqual(namedByUs(c));
  });
});

describe.each(['oxc', 'acorn'] as const)('ScopeBuilder (%s) names functions as JavaScript does', (parserName) => {
  it.each(JS_CASES.map((c) => [c.form, c] as const))('%s', async (_form, c) => {
    expect(await extractNames(parserName, 'snippet.mjs', c.code)).toEqual(c.scopes.map(([name]) => name));
  });
});

describe('ScopeBuilder (oxc) names TypeScript functions as their compiled JavaScript is named', () => {
  it.each(TS_CASES.map((c) => [c.form, c] as const))('%s', async (_form, c) => {
    expect(await extractNames('oxc', 'snippet.ts', c.code)).toEqual(c.scopes.map(([name]) => name));
  });
});

describe.each(['oxc', 'acorn'] as const)('ScopeBuilder (%s) where a static reading names differently on purpose', (parserName) => {
  it('names a function assigned to a property after the property (JavaScript leaves it anonymous; V8 stack traces say exports.handler)', async () => {
    const code = 'const exports = {};\nexports.handler = function () {};';
    expect(await nodeNames(code, ['exports.handler'])).toEqual(['<anonymous>']);
    expect(await extractNames(parserName, 'snippet.mjs', code)).toEqual(['handler']);
  });

  it('names a function under a computed key that is not a literal by the key source text in brackets (its value exists only at run time)', async () => {
    const code = "const k = 'dyn';\nconst o = { [k]: () => 1 };\nclass C { [k + 1]() {} }";
    expect(await nodeNames(code, ['o.dyn', 'C.prototype.dyn1'])).toEqual(['dyn', 'dyn1']);
    expect(await extractNames(parserName, 'snippet.mjs', code)).toEqual(['[k]', 'C', '[k + 1]']);
  });
});
