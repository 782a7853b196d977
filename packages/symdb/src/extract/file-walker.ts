import { opendir } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** What the extractor parses; `.d.ts` files hold no code and are never listed. */
export const SOURCE_EXTENSIONS: readonly string[] = Object.freeze(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx', '.mts', '.cts']);

const DECLARATION_FILE = /\.d\.[mc]?ts$/;

export interface WalkOptions {
  /** Directory names to skip (below the root); `*` matches any run of characters. */
  readonly excludeDirs: readonly string[];
}

/** True when `name` is a source file the extractor parses. */
export function isSourceFile(name: string): boolean {
  return SOURCE_EXTENSIONS.includes(extname(name)) && !DECLARATION_FILE.test(name);
}

/**
 * Yields the source files under `root`, depth first, in name order (so uploads are
 * reproducible). Symbolic links are not followed: a link cycle cannot make the walk endless,
 * and a linked tree is uploaded from where it really lives. Holds one directory listing per
 * level of depth, never the whole tree. Throws if `root` itself cannot be read.
 */
export async function* walkSourceFiles(root: string, options: WalkOptions): AsyncGenerator<string> {
  const excluded = compileExcludes(options.excludeDirs);
  const stack: string[] = [root];
  let first = true;
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let names: { name: string; dir: boolean }[];
    try {
      names = await listDirectory(dir);
    } catch (error) {
      if (first) throw error;
      continue; // a subdirectory that vanished or is unreadable is skipped, not fatal
    }
    first = false;
    const subdirs: string[] = [];
    for (const entry of names) {
      if (entry.dir) {
        if (!excluded(entry.name)) subdirs.push(join(dir, entry.name));
      } else if (isSourceFile(entry.name)) {
        yield join(dir, entry.name);
      }
    }
    // Reversed so the stack pops them in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as string);
  }
}

async function listDirectory(dir: string): Promise<{ name: string; dir: boolean }[]> {
  const entries: { name: string; dir: boolean }[] = [];
  for await (const dirent of await opendir(dir)) {
    if (dirent.isDirectory()) entries.push({ name: dirent.name, dir: true });
    else if (dirent.isFile()) entries.push({ name: dirent.name, dir: false });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries;
}

function compileExcludes(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const pattern of patterns) {
    if (!pattern.includes('*')) exact.add(pattern);
    else globs.push(new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`));
  }
  return (name) => exact.has(name) || globs.some((g) => g.test(name));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
