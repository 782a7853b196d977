/* eslint-disable @typescript-eslint/no-require-imports -- Node 20 runs one CommonJS script as a single executable's main */
// The single executable's main script (scripts/build-binary.mjs). It compiles the CLI's
// one-file bundle, an asset, with a V8 code cache recorded at build time AFTER a real
// `agentkit exec` ran: it holds the functions exec compiled, where the cache Node's SEA
// config can make (`useCodeCache`) holds only those compiled before anything runs
// (docs/benchmarks.md, "Issue 17, single executable"). V8 takes a cache only under the V8
// flags it was made with: exec's `--liftoff-only` and `--heap-growing-percent=25` are set here,
// before the compile, as when it was recorded. Other commands get the cache of a `--help` run.
// Run by plain Node with AGENTKIT_RECORD_CODE_CACHE=<file> and AGENTKIT_BUNDLE=<file>, it
// loads the bundle from that file and writes the cache of this run at exit (the build does).
// AGENTKIT_DEBUG_CODE_CACHE=1 says on stderr whether V8 took the cache.
'use strict';
const sea = require('node:sea');
const { setFlagsFromString } = require('node:v8');
const vm = require('node:vm');

// Started by itself as symdb's parser process (PARSER_PROCESS_ENV in
// packages/symdb/src/extract/parser-process/protocol.ts): it runs that process's own bundle,
// and nothing of the CLI. Its channel and pipes are the ones the parent opened.
if (sea.isSea() && process.env.AGENTKIT_SYMDB_PARSER_PROCESS === '1') {
  runEmbedded('agentkit-symdb-parser.cjs');
  return;
}

const EXEC = process.argv[2] === 'exec';
// What exec sets by default (packages/agent/src/agent-v8-flags.ts: why), before the compile: the
// exec cache was recorded under them. heap_tuning_enabled false resets the second afterwards.
if (EXEC) {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--heap-growing-percent=25');
}

const embedded = sea.isSea();
// getRawAsset: a view of the executable's own bytes, not a copy of them.
const source = embedded ? Buffer.from(sea.getRawAsset('agentkit.cjs')).toString('utf8') : require('node:fs').readFileSync(process.env.AGENTKIT_BUNDLE, 'utf8');
const cachedData = embedded ? embeddedCache(EXEC ? 'agentkit-exec.cache' : 'agentkit.cache') : undefined;
// The CommonJS wrapper, so the bundle sees the usual module variables.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: 'agentkit.cjs',
  ...(cachedData === undefined ? {} : { cachedData }),
});
if (process.env.AGENTKIT_DEBUG_CODE_CACHE === '1' && cachedData !== undefined) {
  process.stderr.write(`agentkit: code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
}
const record = embedded ? undefined : process.env.AGENTKIT_RECORD_CODE_CACHE;
if (record !== undefined) process.on('exit', () => require('node:fs').writeFileSync(record, script.createCachedData()));
const bundleModule = { exports: {} };
script.runInThisContext()(bundleModule.exports, require, bundleModule, process.execPath, require('node:path').dirname(process.execPath));

/** Runs the CommonJS bundle embedded under `key` (no code cache: a small, short-lived process). */
function runEmbedded(key) {
  const code = Buffer.from(sea.getRawAsset(key)).toString('utf8');
  const wrapped = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: key });
  const embeddedModule = { exports: {} };
  wrapped.runInThisContext()(embeddedModule.exports, require, embeddedModule, process.execPath, require('node:path').dirname(process.execPath));
}

/** The cache embedded under `key`, or undefined when the executable was built without (--no-code-cache). */
function embeddedCache(key) {
  try {
    return Buffer.from(sea.getRawAsset(key));
  } catch {
    return undefined;
  }
}
