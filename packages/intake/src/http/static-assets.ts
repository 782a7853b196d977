import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file the page needs, by the URL path it is served at. */
export interface StaticAsset {
  readonly contentType: string;
  /** Absolute file path, or undefined when it cannot be found (why: `missing`) or is embedded. */
  readonly file: string | undefined;
  /** Key of the asset embedded in the single executable (scripts/build-binary.mjs), if it is one. */
  readonly embedded?: string;
  readonly missing?: string;
  readonly cacheControl: string;
}

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
// Our own page files may change with a new version: revalidate. uPlot is pinned: cache it.
const REVALIDATE = 'no-cache';
const CACHE_AN_HOUR = 'public, max-age=3600';

/** packages/intake/page/, one level above both src/ and dist/. */
const PAGE_DIR = fileURLToPath(new URL('../../page/', import.meta.url));
const PAGE_FILES = ['index.html', 'app.js', 'style.css'] as const;
const UPLOT_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'] as const;
const EMBEDDED_PREFIX = 'intake/';

/**
 * The files the page needs, each with the key it has when embedded in the single executable,
 * which has no files beside it: scripts/build-binary.mjs embeds exactly these. Throws when
 * uplot is not installed.
 */
export function embeddableAssets(): Array<{ key: string; file: string }> {
  const uplot = resolveUplotDist();
  if ('missing' in uplot) throw new Error(uplot.missing);
  return [
    ...PAGE_FILES.map((name) => ({ key: `${EMBEDDED_PREFIX}${name}`, file: join(PAGE_DIR, name) })),
    ...UPLOT_FILES.map((name) => ({ key: `${EMBEDDED_PREFIX}${name}`, file: join(uplot.dir, name) })),
  ];
}

/**
 * The page and its assets, served from this package (`page/`) and from the installed `uplot`
 * package: nothing comes from the network. Files are read on first request and kept (a few
 * tens of KiB), so the intake's start reads nothing. Nor does it load what serving needs: where
 * the files are (uplot's resolution, node:module with Node's ES module loader) is found at the
 * first request, and node:fs/promises (with node:readline's interface and the file watchers it
 * brings) loads at the first read; an idle agent whose page is never opened holds neither
 * (~0.8 MiB, docs/benchmarks.md, "Issue 14 §3, what the idle agent's own code holds").
 */
export class StaticAssets {
  #assets: ReadonlyMap<string, StaticAsset> | undefined;
  readonly #cache = new Map<string, Promise<Buffer>>();

  /** The asset served at `path`, or undefined when there is none. */
  public find(path: string): StaticAsset | undefined {
    this.#assets ??= locateAssets();
    return this.#assets.get(path);
  }

  /** The file's bytes (shared: do not modify). Rejects when it cannot be read. */
  public read(asset: StaticAsset): Promise<Buffer> {
    if (asset.embedded !== undefined) return readEmbedded(asset.embedded);
    const file = asset.file;
    if (file === undefined) return Promise.reject(new Error(asset.missing ?? 'asset not found'));
    let bytes = this.#cache.get(file);
    if (bytes === undefined) {
      bytes = process.getBuiltinModule('node:fs/promises').readFile(file);
      this.#cache.set(file, bytes);
      // A failed read is not cached: the next request tries again.
      bytes.catch(() => this.#cache.delete(file));
    }
    return bytes;
  }
}

/** Where each asset is: in the single executable its embedded assets, under the same names. */
function locateAssets(): ReadonlyMap<string, StaticAsset> {
  // node:sea at the first request, not when the intake loads: an idle agent holds no module it never uses.
  const embedded = process.getBuiltinModule('node:sea').isSea();
  const uplot = embedded ? { dir: '' } : resolveUplotDist();
  const page = (name: (typeof PAGE_FILES)[number], contentType: string): StaticAsset =>
    embedded
      ? { contentType, file: undefined, embedded: `${EMBEDDED_PREFIX}${name}`, cacheControl: REVALIDATE }
      : { contentType, file: join(PAGE_DIR, name), cacheControl: REVALIDATE };
  const fromUplot = (name: (typeof UPLOT_FILES)[number], contentType: string): StaticAsset =>
    embedded
      ? { contentType, file: undefined, embedded: `${EMBEDDED_PREFIX}${name}`, cacheControl: CACHE_AN_HOUR }
      : 'dir' in uplot
        ? { contentType, file: join(uplot.dir, name), cacheControl: CACHE_AN_HOUR }
        : { contentType, file: undefined, missing: uplot.missing, cacheControl: REVALIDATE };
  return new Map([
    ['/', page('index.html', HTML)],
    ['/index.html', page('index.html', HTML)],
    ['/assets/app.js', page('app.js', JS)],
    ['/assets/style.css', page('style.css', CSS)],
    ['/assets/uPlot.iife.min.js', fromUplot('uPlot.iife.min.js', JS)],
    ['/assets/uPlot.min.css', fromUplot('uPlot.min.css', CSS)],
  ]);
}

/** An asset of the single executable (getAsset copies it: the copy is ours to wrap). */
function readEmbedded(key: string): Promise<Buffer> {
  try {
    return Promise.resolve(Buffer.from(process.getBuiltinModule('node:sea').getAsset(key)));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** uplot's `dist/` folder (it has no "exports" map, so its package.json resolves directly). */
function resolveUplotDist(): { dir: string } | { missing: string } {
  try {
    // node:module at first use (see packages/config's yaml-file.ts).
    const pkg = process.getBuiltinModule('node:module').createRequire(import.meta.url).resolve('uplot/package.json');
    return { dir: join(dirname(pkg), 'dist') };
  } catch (error) {
    return { missing: `the "uplot" package is not installed (a dependency of @agentkit/intake; reinstall it): ${(error as Error).message}` };
  }
}
