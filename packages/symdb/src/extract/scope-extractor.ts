import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Scope } from '../scope/scope.js';
import { gitBlobSha1 } from './file-hash.js';
import { walkSourceFiles } from './file-walker.js';
import type { SourceParser } from './parser.js';
import { ScopeBuilder } from './scope-builder.js';

/** One file's module scope, as it leaves the extractor. */
export interface FileScope {
  /** Path relative to the walked root, `/`-separated: the scope's `source_file`. */
  readonly relativePath: string;
  readonly scope: Scope;
  /** Scopes in the tree, the module included. */
  readonly scopeCount: number;
}

export interface ExtractorStats {
  /** Source files found by the walk. */
  files: number;
  /** Files that could not be read or parsed (skipped, never fatal). */
  filesFailed: number;
  /** Files the loaded parser does not handle (TypeScript and JSX without oxc-parser). */
  filesUnsupported: number;
  /** Scopes extracted, nested ones included. */
  scopes: number;
}

export interface ScopeExtractorOptions {
  readonly parser: SourceParser;
  readonly excludeDirs: readonly string[];
  /** Give the event loop a turn between files (a background upload in a live process). */
  readonly yieldBetweenFiles?: boolean;
  /** Told about each file that failed, with why. */
  readonly onFileFailed?: (path: string, message: string) => void;
}

/**
 * Walks a directory and yields one module scope per source file, one file at a time: only
 * the current file's text, AST and scope tree are alive while it is consumed.
 */
export class ScopeExtractor {
  public readonly stats: ExtractorStats = { files: 0, filesFailed: 0, filesUnsupported: 0, scopes: 0 };
  readonly #options: ScopeExtractorOptions;

  public constructor(options: ScopeExtractorOptions) {
    this.#options = options;
  }

  /** Throws only when `root` itself cannot be read; a bad file is counted and skipped. */
  public async *extract(root: string, signal?: AbortSignal): AsyncGenerator<FileScope> {
    for await (const path of walkSourceFiles(root, { excludeDirs: this.#options.excludeDirs })) {
      signal?.throwIfAborted();
      this.stats.files++;
      const scope = await this.#extractFile(root, path);
      if (scope !== undefined) {
        this.stats.scopes += scope.scopeCount;
        yield scope;
      }
      if (this.#options.yieldBetweenFiles === true) await nextTurn();
    }
  }

  async #extractFile(root: string, path: string): Promise<FileScope | undefined> {
    const outcome = await extractFileScope(this.#options.parser, root, path);
    if (outcome.ok) return outcome.file;
    if (outcome.reason === 'unsupported') this.stats.filesUnsupported++;
    else this.#failed(path, outcome.message);
    return undefined;
  }

  #failed(path: string, message: string): void {
    this.stats.filesFailed++;
    this.#options.onFileFailed?.(path, message);
  }
}

/** One file's extraction: its module scope, or why there is none. */
export type FileOutcome =
  | { readonly ok: true; readonly file: FileScope }
  | { readonly ok: false; readonly reason: 'failed' | 'unsupported'; readonly message: string };

/**
 * Reads, parses and builds one file's module scope (the work both the in-process extractor
 * and the parser child do per file). Never throws for a bad file: the outcome says why.
 */
export async function extractFileScope(parser: SourceParser, root: string, path: string): Promise<FileOutcome> {
  const relativePath = relative(root, path).split(sep).join('/');
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  const source = bytes.toString('utf8');
  const parsed = parser.parse(path, source);
  if (!parsed.ok) return { ok: false, reason: parsed.reason === 'unsupported' ? 'unsupported' : 'failed', message: parsed.message };
  try {
    const scope = new ScopeBuilder(source, relativePath).build(parsed.program, gitBlobSha1(bytes));
    return { ok: true, file: { relativePath, scope, scopeCount: countScopes(scope) } };
  } catch (error) {
    // A RangeError from an AST nested deeper than the stack: this file only.
    return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

function countScopes(scope: Scope): number {
  let n = 1;
  if (scope.scopes !== undefined) for (const child of scope.scopes) n += countScopes(child);
  return n;
}
