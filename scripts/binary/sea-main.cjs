/* eslint-disable @typescript-eslint/no-require-imports -- Node 20 runs one CommonJS script as a single executable's main */
// The single executable's main script (scripts/build-binary.mjs bundles it, with the loader it
// requires, into dist/agentkit-main.cjs). It runs the CLI's one-file bundle, an asset, through
// the loader the npm bin uses too (packages/agent/bin/cached-bundle.cjs: the code cache
// recorded at build time after a real run, exec's V8 flags before the compile, and why), with
// the caches embedded as assets. Run by plain Node with AGENTKIT_RECORD_CODE_CACHE=<file> and
// AGENTKIT_BUNDLE=<file>, it loads the bundle from that file and writes the cache of this run
// at exit (the build does, scripts/record-code-cache.mjs). AGENTKIT_DEBUG_CODE_CACHE=1 says on
// stderr whether V8 took the cache.
'use strict';
const sea = require('node:sea');
const { cacheNameFor, runBundle, setCommandV8Flags } = require('../../packages/agent/bin/cached-bundle.cjs');

const exeDir = require('node:path').dirname(process.execPath);
// Started by itself as symdb's parser process (PARSER_PROCESS_ENV in
// packages/symdb/src/extract/parser-process/protocol.ts): it runs that process's own bundle,
// and nothing of the CLI. Its channel and pipes are the ones the parent opened.
if (sea.isSea() && process.env.AGENTKIT_SYMDB_PARSER_PROCESS === '1') {
  runEmbedded('agentkit-symdb-parser.cjs');
} else {
  const args = process.argv.slice(2);
  setCommandV8Flags(args);
  const embedded = sea.isSea();
  runBundle({
    // getRawAsset: a view of the executable's own bytes, not a copy of them.
    source: embedded ? Buffer.from(sea.getRawAsset('agentkit.cjs')).toString('latin1') : require('node:fs').readFileSync(process.env.AGENTKIT_BUNDLE, 'latin1'),
    filename: 'agentkit.cjs',
    cachedData: embedded ? embeddedCache(cacheNameFor(args)) : undefined,
    require,
    moduleFilename: process.execPath,
    moduleDirname: exeDir,
    recordTo: embedded ? undefined : process.env.AGENTKIT_RECORD_CODE_CACHE,
  });
}

/** Runs the CommonJS bundle embedded under `key` (no code cache: a small, short-lived process). */
function runEmbedded(key) {
  const source = Buffer.from(sea.getRawAsset(key)).toString('latin1');
  runBundle({ source, filename: key, cachedData: undefined, require, moduleFilename: process.execPath, moduleDirname: exeDir, recordTo: undefined });
}

/** The cache embedded under `key`, or undefined when the executable was built without (--no-code-cache). */
function embeddedCache(key) {
  try {
    return Buffer.from(sea.getRawAsset(key));
  } catch {
    return undefined;
  }
}
