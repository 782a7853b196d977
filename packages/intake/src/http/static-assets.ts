import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file the page needs, by the URL path it is served at. */
export interface StaticAsset {
  readonly contentType: string;
  /** Absolute file path, or undefined when it cannot be found (why: `missing`). */
  readonly file: string | undefined;
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

/**
 * The page and its assets, served from this package (`page/`) and from the installed `uplot`
 * package: nothing comes from the network. Files are read on first request and kept (a few
 * tens of KiB), so the intake's start reads nothing.
 */
export class StaticAssets {
  readonly #assets: ReadonlyMap<string, StaticAsset>;
  readonly #cache = new Map<string, Promise<Buffer>>();

  public constructor() {
    const uplot = resolveUplotDist();
    const page = (name: string, contentType: string): StaticAsset => ({ contentType, file: join(PAGE_DIR, name), cacheControl: REVALIDATE });
    const fromUplot = (name: string, contentType: string): StaticAsset =>
      'dir' in uplot
        ? { contentType, file: join(uplot.dir, name), cacheControl: CACHE_AN_HOUR }
        : { contentType, file: undefined, missing: uplot.missing, cacheControl: REVALIDATE };
    this.#assets = new Map([
      ['/', page('index.html', HTML)],
      ['/index.html', page('index.html', HTML)],
      ['/assets/app.js', page('app.js', JS)],
      ['/assets/style.css', page('style.css', CSS)],
      ['/assets/uPlot.iife.min.js', fromUplot('uPlot.iife.min.js', JS)],
      ['/assets/uPlot.min.css', fromUplot('uPlot.min.css', CSS)],
    ]);
  }

  /** The asset served at `path`, or undefined when there is none. */
  public find(path: string): StaticAsset | undefined {
    return this.#assets.get(path);
  }

  /** The file's bytes (shared: do not modify). Rejects when it cannot be read. */
  public read(asset: StaticAsset): Promise<Buffer> {
    const file = asset.file;
    if (file === undefined) return Promise.reject(new Error(asset.missing ?? 'asset not found'));
    let bytes = this.#cache.get(file);
    if (bytes === undefined) {
      bytes = readFile(file);
      this.#cache.set(file, bytes);
      // A failed read is not cached: the next request tries again.
      bytes.catch(() => this.#cache.delete(file));
    }
    return bytes;
  }
}

/** uplot's `dist/` folder (it has no "exports" map, so its package.json resolves directly). */
function resolveUplotDist(): { dir: string } | { missing: string } {
  try {
    const pkg = createRequire(import.meta.url).resolve('uplot/package.json');
    return { dir: join(dirname(pkg), 'dist') };
  } catch (error) {
    return { missing: `the "uplot" package is not installed (a dependency of @agentkit/intake; reinstall it): ${(error as Error).message}` };
  }
}
