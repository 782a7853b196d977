import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitBlobSha1, LineTable, loadParser, ScopeBuilder, ScopeExtractor, walkSourceFiles, type Scope, type SourceParser } from '@agentkit/symdb';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

async function build(parserName: 'oxc' | 'acorn', file: string): Promise<Scope> {
  const parser = await loadParser(parserName);
  const source = readFileSync(join(FIXTURES, file), 'utf8');
  const parsed = parser.parse(file, source);
  if (!parsed.ok) throw new Error(parsed.message);
  return new ScopeBuilder(source, file).build(parsed.program, 'hash');
}

function find(scope: Scope, type: string, name: string): Scope {
  const stack = [scope];
  while (stack.length > 0) {
    const s = stack.pop() as Scope;
    if (s.scope_type === type && s.name === name) return s;
    stack.push(...(s.scopes ?? []));
  }
  throw new Error(`no ${type} ${name}`);
}

function symbols(scope: Scope): [string, string, number, string | null][] {
  return (scope.symbols ?? []).map((s) => [s.name, s.symbol_type, s.line, s.type]);
}

function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'symdb-tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('LineTable', () => {
  it('numbers lines from 1 across \\n, \\r\\n, \\r and U+2028/U+2029', () => {
    const text = 'a\nb\r\nc\rd\u2028e\u2029f';
    const table = new LineTable(text);
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((ch) => table.lineAt(text.indexOf(ch)))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(table.lineCount).toBe(6);
    expect(table.lineAt(text.indexOf('\r\n') + 1)).toBe(2); // the \n of \r\n belongs to the line it ends
  });
});

describe.each(['oxc', 'acorn'] as const)('ScopeBuilder on the JavaScript fixture (%s)', (parserName) => {
  it('gives the module, functions, classes, closures and blocks their exact lines', async () => {
    const module = await build(parserName, 'sample.js');
    expect(module).toMatchObject({ scope_type: 'module', name: 'sample.js', start_line: 1, end_line: 29, language_specifics: { file_hash: 'hash' } });
    expect(symbols(module)).toEqual([['limit', 'static_field', 2, null]]);

    const add = find(module, 'function', 'add');
    expect(add).toMatchObject({ start_line: 4, end_line: 11, has_injectible_lines: true, injectible_lines: [{ start: 4, end: 11 }] });
    expect(symbols(add)).toEqual([
      ['a', 'arg', 4, null],
      ['b', 'arg', 4, null],
      ['rest', 'arg', 4, null],
      ['total', 'local', 5, null],
    ]);
    const loop = add.scopes?.[0] as Scope;
    expect(loop).toMatchObject({ scope_type: 'local', name: '', start_line: 6, end_line: 9 });
    expect(symbols(loop)).toEqual([['i', 'local', 6, null]]);
    expect(symbols(loop.scopes?.[0] as Scope)).toEqual([['value', 'local', 7, null]]);

    const counter = find(module, 'class', 'Counter');
    expect(counter).toMatchObject({ start_line: 13, end_line: 25, has_injectible_lines: false });
    expect(symbols(counter)).toEqual([
      ['count', 'field', 14, null],
      ['instances', 'static_field', 15, null],
    ]);
    const increment = find(counter, 'method', 'increment');
    expect(increment).toMatchObject({ start_line: 17, end_line: 24 });
    expect(symbols(increment)).toEqual([['step', 'arg', 17, null]]);
    const handlerBlock = find(increment, 'local', '');
    expect(handlerBlock).toMatchObject({ start_line: 20, end_line: 23 });
    expect(symbols(handlerBlock)).toEqual([
      ['error', 'local', 20, null],
      ['message', 'local', 21, null],
    ]);

    const handler = find(module, 'function', 'handler');
    expect(handler).toMatchObject({ start_line: 27, end_line: 29 });
    expect(symbols(handler)).toEqual([
      ['event', 'arg', 27, null],
      ['requestId', 'arg', 27, null],
    ]);
    expect(find(handler, 'closure', '<anonymous>')).toMatchObject({ start_line: 28, end_line: 28 });
    expect(symbols(find(handler, 'closure', '<anonymous>'))).toEqual([['item', 'arg', 28, null]]);
  });
});

describe('ScopeBuilder on the TypeScript fixture (oxc)', () => {
  it('keeps lines exact and reads fields, parameter properties and annotations', async () => {
    const module = await build('oxc', 'sample.ts');
    expect(module).toMatchObject({ start_line: 1, end_line: 34 });
    const circle = find(module, 'class', 'Circle');
    expect(circle).toMatchObject({ start_line: 6, end_line: 29 });
    expect(symbols(circle)).toEqual([
      ['PI', 'static_field', 7, 'number'],
      ['cache', 'field', 8, 'Map<string, number>'],
      ['radius', 'field', 11, 'number'],
      ['label', 'field', 12, null],
    ]);
    expect(find(circle, 'method', 'constructor')).toMatchObject({ start_line: 10, end_line: 13 });
    expect(symbols(find(circle, 'method', 'constructor'))).toEqual([
      ['radius', 'arg', 11, 'number'],
      ['label', 'arg', 12, null],
    ]);
    expect(find(circle, 'method', 'area')).toMatchObject({ start_line: 15, end_line: 18 });
    expect(symbols(find(circle, 'method', 'area'))).toEqual([['r', 'local', 16, 'number']]);
    // Overload signatures have no body: only the implementation is a scope.
    const scales = (circle.scopes ?? []).filter((s) => s.name === 'scale');
    expect(scales).toHaveLength(1);
    expect(scales[0]).toMatchObject({ start_line: 22, end_line: 28 });
    expect(symbols(scales[0] as Scope)).toEqual([['factor', 'arg', 22, 'number | string']]);
    expect(find(scales[0] as Scope, 'local', '')).toMatchObject({ start_line: 23, end_line: 26 });

    const describeShape = find(module, 'function', 'describeShape');
    expect(describeShape).toMatchObject({ start_line: 31, end_line: 34 });
    expect(symbols(describeShape)).toEqual([
      ['shape', 'arg', 31, 'T'],
      ['precision', 'arg', 31, 'number'],
      ['area', 'local', 32, null],
    ]);
    // Nothing for the interface: it has no runtime code.
    expect(JSON.stringify(module)).not.toContain('"Shape"');
  });

  it('counts lines after non-ASCII text in UTF-16 offsets, as the parsers give them', async () => {
    const parser = await loadParser('oxc');
    const source = "const s = '日本語 😀';\nfunction f(x) {\n  return x;\n}\n";
    const parsed = parser.parse('u.js', source);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(find(new ScopeBuilder(source, 'u.js').build(parsed.program, 'h'), 'function', 'f')).toMatchObject({ start_line: 2, end_line: 4 });
  });
});

describe('walkSourceFiles', () => {
  const files = {
    'a.js': '',
    'b.ts': '',
    'types.d.ts': '',
    'README.md': '',
    'src/c.mjs': '',
    'src/d.tsx': '',
    'node_modules/dep/index.js': '',
    '.cache/e.js': '',
    'build/f.cjs': '',
  };

  it('skips node_modules, dot-folders and declaration files by default, in name order', async () => {
    const root = tempTree(files);
    const found: string[] = [];
    for await (const path of walkSourceFiles(root, { excludeDirs: ['node_modules', '.*'] })) found.push(path.slice(root.length + 1));
    expect(found).toEqual(['a.js', 'b.ts', 'build/f.cjs', 'src/c.mjs', 'src/d.tsx']);
  });

  it('walks what the exclusion list does not name', async () => {
    const root = tempTree(files);
    const found: string[] = [];
    for await (const path of walkSourceFiles(root, { excludeDirs: ['bui*'] })) found.push(path.slice(root.length + 1));
    // A directory's files come before its subdirectories.
    expect(found).toEqual(['a.js', 'b.ts', '.cache/e.js', 'node_modules/dep/index.js', 'src/c.mjs', 'src/d.tsx']);
  });
});

describe('ScopeExtractor', () => {
  it('counts and skips files that fail to parse, hashes files as git does', async () => {
    const root = tempTree({ 'good.js': 'function ok() {}\n', 'bad.js': 'function (\n', 'worse.ts': 'let x: = ;' });
    const failed: string[] = [];
    const extractor = new ScopeExtractor({ parser: await loadParser('oxc'), excludeDirs: [], onFileFailed: (path) => failed.push(path) });
    const out = [];
    for await (const file of extractor.extract(root)) out.push(file);
    expect(out.map((f) => f.relativePath)).toEqual(['good.js']);
    expect(extractor.stats).toEqual({ files: 3, filesFailed: 2, filesUnsupported: 0, scopes: 2 });
    expect(failed.map((p) => p.slice(root.length + 1)).sort()).toEqual(['bad.js', 'worse.ts']);
    const gitHash = execFileSync('git', ['hash-object', join(root, 'good.js')], { encoding: 'utf8' }).trim();
    expect(out[0]?.scope.language_specifics?.file_hash).toBe(gitHash);
    expect(gitBlobSha1(Buffer.from('function ok() {}\n'))).toBe(gitHash);
  });

  it('without the native parser, parses JavaScript (ESM and CommonJS) and counts TypeScript as unsupported', async () => {
    const root = tempTree({ 'esm.mjs': 'export const a = 1;\n', 'cjs.cjs': 'return;\n', 'script.js': 'with (o) { x(); }\n', 'types.ts': 'let a: number = 1;\n' });
    const parser: SourceParser = await loadParser('acorn');
    expect(parser.name).toBe('acorn');
    const extractor = new ScopeExtractor({ parser, excludeDirs: [] });
    const out = [];
    for await (const file of extractor.extract(root)) out.push(file.relativePath);
    expect(out).toEqual(['cjs.cjs', 'esm.mjs', 'script.js']);
    expect(extractor.stats).toMatchObject({ files: 4, filesFailed: 0, filesUnsupported: 1 });
  });
});
