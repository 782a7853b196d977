/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: the single executable's main (Node 20 runs one CommonJS script) bundles it */
// The one loader of the CLI's one-file CommonJS bundle, used by the npm bin (bin/agentkit.js,
// bundle and caches in packages/agent/dist/one-file/, scripts/bundle-cli.mjs) and by the single
// executable's main (scripts/binary/sea-main.cjs, the same files as assets). Node 20 has no
// compile cache for ES modules; a `vm.Script` takes a V8 code cache (`cachedData`). The caches
// are recorded at build time AFTER a real run (scripts/record-code-cache.mjs): they hold the
// functions that run compiled, where a cache made before running holds only the top level
// (docs/benchmarks.md, "Issue 17, single executable"). V8 takes a cache only under the V8 flags
// it was made with: exec's are set here, before the compile, as when its cache was recorded.
// A cache V8 rejects (another Node, other flags, e.g. from NODE_OPTIONS) costs only speed: the
// bundle is then compiled from its source. AGENTKIT_DEBUG_CODE_CACHE=1 says on stderr which.
'use strict';
const { setFlagsFromString } = require('node:v8');
const vm = require('node:vm');

/**
 * The CommonJS module wrapper, so the bundle sees the usual module variables. The builds write
 * it into the bundle's file (esbuild's banner and footer): the source V8 compiles is then the
 * string read from the file, held once (outside V8's heap: Node makes a string of a large
 * latin1 read external); wrapping it here would make V8 hold a second, flattened copy
 * (~2 MB, docs/benchmarks.md, "Issue 17 §1, the npm CLI through the code-cached one-file bundle").
 */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

/** The code cache a command runs with: exec's (recorded after `exec`) or the one recorded after `--help`. */
function cacheNameFor(args) {
  return args[0] === 'exec' ? 'agentkit-exec.cache' : 'agentkit.cache';
}

/**
 * When V8's memory reducer first looks at the heap: for `run`, about a second after its
 * start-up hold ends (packages/agent/src/agent-v8-flags.ts, START_HOLD_AFTER_READY_MS after
 * the ready point, itself ~0.2 s into the start here), while the hold's end has V8 favour memory
 * so that the look collects what only the start needed (holdStartFootprint says why). Counted
 * from the old generation's first growth, as the bundle is compiled and starts (set later, the
 * look is already scheduled), so it is set before the compile, for every command: V8 takes a
 * code cache only under the flags it was recorded with. V8's own delay is 8 s; a look that finds the process still allocating (every other
 * command: nothing has V8 favour memory for them) puts the next off by 8 s, as V8 does anyway.
 */
const MEMORY_REDUCER_FIRST_LOOK_MS = 2000;

/**
 * Sets, before the bundle is compiled, what its commands set by default (their caches were
 * recorded under them): for every command the memory reducer's first look (unless Node was
 * given that delay itself), and for `exec` its heap flags (packages/agent/src/agent-v8-flags.ts
 * says why; `heap_tuning_enabled` false resets the second one later). To be called before
 * {@link runBundle}.
 */
function setCommandV8Flags(args) {
  const own = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => /--gc[-_]memory[-_]reducer[-_]start[-_]delay[-_]ms/.test(arg));
  if (!own) setFlagsFromString(`--gc-memory-reducer-start-delay-ms=${MEMORY_REDUCER_FIRST_LOOK_MS}`);
  if (args[0] !== 'exec') return;
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--heap-growing-percent=25');
}

/** True when AGENTKIT_DEBUG_CODE_CACHE=1: the loaders say on stderr what they loaded. */
const debugCodeCache = () => process.env.AGENTKIT_DEBUG_CODE_CACHE === '1';

/**
 * Compiles the CommonJS bundle `source` (its text, ASCII, wrapped in WRAPPER_HEAD … WRAPPER_TAIL) with the V8 code cache `cachedData`
 * (a Buffer, or undefined for none) and runs it as a module whose `require`, `__filename` and
 * `__dirname` are those given. `filename` is what stack traces show. With `recordTo` (a path)
 * the cache of this run is written there when the process exits (the build's recording run;
 * no cache is taken then). With `sourceMapBeside` (the npm bin: `filename` is the bundle's
 * absolute path, its source map beside it) and Node's source maps on, see {@link compileMapped}.
 * Returns the bundle's `module.exports`. Throws what the bundle's top level throws.
 */
function runBundle({ source, filename, cachedData, require: bundleRequire, moduleFilename, moduleDirname, recordTo, sourceMapBeside = false }) {
  // A bundle built without the wrapper (symdb's parser process) is wrapped here.
  const wrapped = source.startsWith(WRAPPER_HEAD) ? source : `${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`;
  let bundleFunction;
  if (sourceMapBeside && recordTo === undefined && process.sourceMapsEnabled) {
    if (debugCodeCache()) process.stderr.write('agentkit: code cache not used (source maps on)\n');
    bundleFunction = compileMapped(wrapped, filename);
  } else {
    const cache = recordTo === undefined ? cachedData : undefined;
    const script = new vm.Script(wrapped, {
      filename,
      ...(cache === undefined ? {} : { cachedData: cache }),
    });
    if (debugCodeCache()) {
      const verdict = cache === undefined ? (recordTo === undefined ? 'missing' : 'recording') : script.cachedDataRejected ? 'rejected' : 'accepted';
      process.stderr.write(`agentkit: code cache ${verdict}\n`);
    }
    if (recordTo !== undefined) process.on('exit', () => require('node:fs').writeFileSync(recordTo, script.createCachedData()));
    bundleFunction = script.runInThisContext();
  }
  const bundleModule = { exports: {} };
  bundleFunction(bundleModule.exports, bundleRequire, bundleModule, moduleFilename, moduleDirname);
  return bundleModule.exports;
}

/**
 * The bundle's function, compiled by Node's CommonJS loader as the body of a module at
 * `filename`, for a process started with Node's source maps on (`--enable-source-maps`, e.g.
 * NODE_OPTIONS=--enable-source-maps): Node 20 reads the source map a script names (the
 * bundle's last line: the map the build wrote beside it) for what its module loader compiles,
 * not for a `vm.Script`, and only then do stack traces show the TypeScript sources' files and
 * lines. No code cache on this path (the loader takes none): a slower start, for a trace
 * worth reading. `return` goes on the first line, which holds only the wrapper's head, so no
 * position in the bundle moves. (`Module.prototype._compile`: what `require` itself runs.)
 */
function compileMapped(wrapped, filename) {
  const Module = module.constructor;
  const bodyModule = new Module(filename, module);
  bodyModule.filename = filename;
  return bodyModule._compile(`return ${wrapped}`, filename);
}

module.exports = { WRAPPER_HEAD, WRAPPER_TAIL, cacheNameFor, debugCodeCache, runBundle, setCommandV8Flags };
