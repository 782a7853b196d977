// These tests fork the compiled parser process (packages/symdb/dist): `npm run build` first.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ChildScopeExtractor, loadParser, ScopeExtractor, uploadDirectory, type EncodedBatch, type Scope } from '@agentkit/symdb';
import { ParserChildStartError } from '../src/extract/parser-process/parser-child.js';

const HERE = dirname(fileURLToPath(import.meta.url));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'symdb-child-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const FILES: Record<string, string> = {
  'a.js': 'export class A {\n  m(x) {\n    const y = x + 1;\n    return y;\n  }\n}\n',
  'b.ts': 'export function f(n: number): string {\n  for (let i = 0; i < n; i++) {\n    const s = `é${i}`;\n  }\n  return "x";\n}\n',
  'lib/c.mjs': 'export const g = (a, b = 2) => a * b;\n',
  'broken.js': 'function (\n',
};

async function inline(root: string): Promise<Map<string, Scope>> {
  const extractor = new ScopeExtractor({ parser: await loadParser('oxc'), excludeDirs: [] });
  const out = new Map<string, Scope>();
  for await (const file of extractor.extract(root)) out.set(file.relativePath, file.scope);
  return out;
}

async function viaChild(extractor: ChildScopeExtractor, root: string): Promise<Map<string, Scope>> {
  const out = new Map<string, Scope>();
  for await (const file of extractor.extract(root)) out.set(file.relativePath, JSON.parse(file.json.toString('utf8')) as Scope);
  return out;
}

describe('ChildScopeExtractor', () => {
  it('gives the scopes the in-process extractor gives, and counts the same files', async () => {
    const root = tree(FILES);
    const failed: string[] = [];
    const extractor = new ChildScopeExtractor({ parser: 'oxc', excludeDirs: [], onFileFailed: (path) => failed.push(path) });
    expect(await viaChild(extractor, root)).toEqual(await inline(root));
    expect(extractor.parserName).toBe('oxc');
    expect(extractor.stats).toEqual({ files: 4, filesFailed: 1, filesUnsupported: 0, scopes: expect.any(Number) as unknown as number });
    expect(failed).toEqual([join(root, 'broken.js')]);
    expect(extractor.processStats.processes).toBe(1);
    expect(extractor.processStats.peakRssBytes).toBeGreaterThan(0);
  });

  it('replaces the parser process once its RSS passes the bound, and loses nothing', async () => {
    const root = tree(FILES);
    const extractor = new ChildScopeExtractor({ parser: 'oxc', excludeDirs: [], recycleAboveRssBytes: 1 });
    expect(await viaChild(extractor, root)).toEqual(await inline(root));
    // Every answer is above 1 byte: each process is replaced after its first answer, and
    // finishes the one file sent to it meanwhile (two in flight): 4 files, 2 processes.
    expect(extractor.processStats.processes).toBe(2);
  });

  it('a process that dies on a file costs that file only: counted as failed, the next file gets a new process', async () => {
    const root = tree({ ...FILES, 'crash.js': 'export const boom = 1;\n' });
    const failures: [string, string][] = [];
    const extractor = new ChildScopeExtractor({
      parser: 'oxc',
      excludeDirs: [],
      childEntry: join(HERE, 'support/crashing-parser-child.mjs'),
      onFileFailed: (path, message) => failures.push([path, message]),
    });
    const scopes = await viaChild(extractor, root);
    const expected = await inline(root);
    expected.delete('crash.js');
    expect(scopes).toEqual(expected);
    expect(failures).toContainEqual([join(root, 'crash.js'), expect.stringContaining('the parser process exited (code 70)') as unknown as string]);
    expect(extractor.stats.filesFailed).toBe(2);
    expect(extractor.processStats.processes).toBe(2);
  });

  it('says so when no parser process can start', async () => {
    const extractor = new ChildScopeExtractor({ parser: 'oxc', excludeDirs: [], childEntry: join(HERE, 'support/no-such-entry.mjs') });
    await expect(extractor.open()).rejects.toBeInstanceOf(ParserChildStartError);
  });

  it('uploadDirectory parses in a child by default: same batches as parsing inline', async () => {
    const root = tree(FILES);
    const collect = async (parseIn: 'process' | 'inline'): Promise<{ names: string[]; summary: Awaited<ReturnType<typeof uploadDirectory>> }> => {
      const batches: EncodedBatch[] = [];
      const summary = await uploadDirectory({
        directory: root,
        service: 's',
        version: '1',
        env: 'e',
        parseIn,
        uploadId: 'u',
        sink: { send: async (batch) => void batches.push({ ...batch, gzipChunks: [Buffer.concat(batch.gzipChunks)] }) },
      });
      const names = batches.flatMap((b) => (JSON.parse(gunzipSync(b.gzipChunks[0] as Buffer).toString('utf8')) as { scopes: Scope[] }).scopes.map((s) => s.name));
      return { names, summary };
    };
    const child = await collect('process');
    const here = await collect('inline');
    expect(child.names.sort()).toEqual(here.names.sort());
    expect(child.summary).toMatchObject({ files: 4, filesFailed: 1, scopes: here.summary.scopes, compressedBytes: here.summary.compressedBytes, parser: 'oxc', parserProcesses: 1 });
    expect(here.summary.parserProcesses).toBe(0);
  });
});
