#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS (bin/package.json): Node starts a CommonJS main without its ES module loader, ~6 ms of CPU less */
// The `agentkit` command. Kept as a committed JavaScript file (not in dist/) so npm can link
// it before the workspace is built; the real work lives in the compiled dist/cli.js, bundled by
// scripts/bundle-cli.mjs twice: into one CommonJS file with V8 code caches recorded after a
// real run (dist/one-file/, run by ./cached-bundle.cjs, the single executable's loader too),
// and into ES module chunks (dist/bundle/). Both start much faster than dist/cli.js's ~400
// files, the one file fastest (docs/benchmarks.md, "Issue 17 §1, the npm CLI through the
// code-cached one-file bundle"). Each bundle is used only when no package was built after it
// (`tsc -b` run alone must not leave the CLI running stale code), the one file first.
// AGENTKIT_DEBUG_CODE_CACHE=1 says on stderr which was loaded and whether V8 took the cache.
'use strict';
const { readdirSync, readFileSync, statSync } = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const dist = path.join(__dirname, '..', 'dist');
const oneFile = path.join(dist, 'one-file', 'agentkit.cjs');
const oneFileBuiltAtMs = freshBuildTimeMs(oneFile);
if (oneFileBuiltAtMs !== undefined) {
  runOneFile(oneFileBuiltAtMs);
} else {
  const bundle = path.join(dist, 'bundle', 'cli.js');
  const entry = freshBuildTimeMs(bundle) !== undefined ? bundle : path.join(dist, 'cli.js');
  if (process.env.AGENTKIT_DEBUG_CODE_CACHE === '1') process.stderr.write(`agentkit: no fresh one-file bundle: loading ${path.relative(dist, entry)}\n`);
  import(require('node:url').pathToFileURL(entry).href)
    .then(({ main }) => main(args))
    .then((code) => {
      process.exitCode = code;
    });
}

/** Runs the one-file bundle built at `builtAtMs`, with the code cache of this command when one was recorded for it. */
function runOneFile(builtAtMs) {
  const { cacheNameFor, runBundle, setCommandV8Flags } = require('./cached-bundle.cjs');
  setCommandV8Flags(args);
  const dir = path.dirname(oneFile);
  runBundle({
    // ASCII (scripts/esbuild-plugins.mjs, asciiOnly): latin1 is the cheapest exact decoding.
    source: readFileSync(oneFile, 'latin1'),
    filename: oneFile,
    cachedData: readCache(path.join(dir, cacheNameFor(args)), builtAtMs),
    // Module.createRequire, not node:module's: that module loads Node's ES module loader (~0.3 ms of CPU).
    require: module.constructor.createRequire(oneFile),
    moduleFilename: oneFile,
    moduleDirname: dir,
    recordTo: process.env.AGENTKIT_RECORD_CODE_CACHE,
    // agentkit.cjs.map is beside it: with NODE_OPTIONS=--enable-source-maps a stack trace shows the TypeScript sources.
    sourceMapBeside: true,
  });
}

/**
 * The cache in `file` when it was written after the bundle (built at `builtAtMs`). V8 checks a
 * cache's flags and Node but of the source only its length: an older cache must not be offered.
 */
function readCache(file, builtAtMs) {
  try {
    return statSync(file).mtimeMs >= builtAtMs ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** `file`'s mtime when it exists and no sibling package was built after it (a dozen stat calls); else undefined. */
function freshBuildTimeMs(file) {
  let builtAtMs;
  try {
    builtAtMs = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  // The siblings: packages/* in this repository, node_modules/@agentkit/* once installed.
  const packages = path.join(__dirname, '..', '..');
  for (const name of readdirSync(packages)) {
    try {
      if (statSync(path.join(packages, name, 'dist', '.tsbuildinfo')).mtimeMs > builtAtMs) return undefined;
    } catch {
      // not a built package
    }
  }
  return builtAtMs;
}
