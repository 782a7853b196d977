// Loads the CLI's one-file CommonJS bundle (dist/bundle/cli.cjs, written by
// scripts/bundle-cli.mjs) with the V8 code cache recorded for it at build time
// (dist/bundle/cli.code-cache), so V8 skips parsing and compiling the bundle's top level.
// Shared by the bin (which loads) and the build script (which records the cache): both must
// compile exactly the same text, which is what `wrapBundleSource` is for.
// Fallbacks: no cache file, or a cache V8 refuses (another Node version or V8 flags:
// `script.cachedDataRejected`), compiles the bundle from its source as `require` would.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** The bundle's source as one function of the CommonJS module scope, plus how to import an external ES module. */
export function wrapBundleSource(source) {
  return `(function (exports, require, module, __filename, __dirname, __agentkitImport) {${source}\n})`;
}

/** The code cache's file, next to the bundle. */
export function codeCacheFileOf(bundleFile) {
  return bundleFile.replace(/\.cjs$/, '.code-cache');
}

/** Runs the bundle at `bundleFile` (an absolute path) and returns its exports (`main`). */
export function loadBundle(bundleFile) {
  let cachedData;
  try {
    cachedData = readFileSync(codeCacheFileOf(bundleFile));
  } catch {
    // no cache: compiled from source
  }
  const script = new Script(wrapBundleSource(readFileSync(bundleFile, 'utf8')), { filename: bundleFile, ...(cachedData === undefined ? {} : { cachedData }) });
  const module = { exports: {} };
  // import() of what stays outside the bundle (oxc-parser, node:https): from this ES module,
  // so a vm.Script needs no dynamic-import hook (Node 20's is experimental and warns).
  script.runInThisContext()(module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile), (specifier) => import(specifier));
  return module.exports;
}
