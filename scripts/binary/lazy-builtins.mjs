// Part of the single executable's build (scripts/build-binary.mjs): makes its bundle safe to
// evaluate inside Node 20's startup-snapshot builder.
//
// Node 20's builder (lib/internal/main/mksnapshot.js) knows a list of built-in modules that
// are verified to deserialize correctly (SNAPSHOT_SAFE_BUILTINS below, copied from it); for
// any other it warns that "run-time states may be out-of-sync", and some fail outright:
// `node:http` evaluates `METHODS: methods.toSorted()` at load (`methods` is the array of HTTP
// method names from internalBinding('http_parser')), and V8 11.3 installs
// Array.prototype.toSorted (a "harmony" feature, on by default behind
// --harmony-change-array-by-copy) only in contexts that are not being serialized: in the
// builder `typeof [].toSorted` is 'undefined', after deserialization it is 'function'.
//
// So every other built-in becomes, in the bundle, a module whose exports are getters that load
// the real one on first use, which in the executable is after deserialization, where the
// built-in is loaded from Node's own code cache as in any Node start. Loading one while the
// snapshot is built fails the build with the built-in's name and the stack of the code that
// needed it, so a new top-level use cannot silently put an unverified module in the snapshot.
import { createRequire, isBuiltin } from 'node:module';

const require = createRequire(import.meta.url);

/** Node 20.20's `supportedModules` of lib/internal/main/mksnapshot.js. */
export const SNAPSHOT_SAFE_BUILTINS = new Set([
  '_stream_duplex', '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_wrap', '_stream_writable',
  'assert', 'assert/strict', 'buffer', 'console', 'constants', 'crypto', 'diagnostics_channel', 'dns', 'events', 'fs',
  'fs/promises', 'net', 'os', 'path', 'path/posix', 'path/win32', 'process', 'punycode', 'querystring', 'stream',
  'stream/promises', 'string_decoder', 'sys', 'timers', 'timers/promises', 'url', 'util', 'util/types', 'v8', 'zlib',
]);

/**
 * Built-ins outside that list that the modules' top level needs (destructured at load, which a
 * getter cannot defer), loaded into the snapshot all the same, each checked for what it keeps:
 * - worker_threads: pino and thread-stream take `Worker`, `isMainThread` at load. What it holds
 *   is the main thread's (isMainThread, threadId 0), the same in every start of the executable;
 *   a Worker is only ever created at run time.
 */
export const LOADED_IN_SNAPSHOT = new Set(['worker_threads']);

const NAMESPACE = 'lazy-builtin';

/**
 * The esbuild plugin. `node:`-only built-ins (node:sea, node:sqlite, node:test) are lazy too:
 * none of them is in the list.
 * @type {() => import('esbuild').Plugin}
 */
export const lazyBuiltins = () => ({
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z0-9_/]+$/ }, (args) => {
      const id = args.path.replace(/^node:/, '');
      // One this Node lacks (a dependency probing node:sqlite) is left as it is: it throws when required, as it would unbundled.
      if (args.path.startsWith('node:') && !isBuiltin(args.path)) return { path: args.path, external: true };
      if (!isBuiltin(args.path)) return undefined;
      // The lazy module's own require of the real built-in.
      if (args.namespace === NAMESPACE) return { path: `node:${id}`, external: true };
      if (SNAPSHOT_SAFE_BUILTINS.has(id) || LOADED_IN_SNAPSHOT.has(id)) return { path: `node:${id}`, external: true };
      return { path: id, namespace: NAMESPACE };
    });
    b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: lazyModule(args.path), loader: 'js' }));
  },
});

/**
 * CommonJS source: the built-in's export names (as this Node has them), each a getter. A plain
 * function taken at load (`const { createRequire } = require('module')`, called later) is, while
 * the snapshot is built, a stand-in that loads the built-in when first called; a class or a
 * value cannot stand in, and taking one then fails the build.
 */
function lazyModule(id) {
  const real = require(`node:${id}`);
  const names = Object.keys(real).filter((n) => n !== 'default' && n !== '__esModule');
  const isPlainFunction = (v) => typeof v === 'function' && v.prototype === undefined;
  const plain = names.filter((n) => isPlainFunction(real[n]) || (typeof real[n] === 'function' && !/^class\b/.test(Function.prototype.toString.call(real[n])) && Object.getOwnPropertyNames(real[n].prototype).length <= 1));
  return [
    `const { startupSnapshot } = require('node:v8');`,
    'let real;',
    'function load() {',
    '  if (real !== undefined) return real;',
    `  if (startupSnapshot.isBuildingSnapshot()) throw new Error('node:${id} was loaded while the startup snapshot was built: Node 20 does not support it there; load it on first use (scripts/binary/lazy-builtins.mjs)');`,
    `  return (real = require('node:${id}'));`,
    '}',
    `const PLAIN = new Set(${JSON.stringify(plain)});`,
    'function get(name) {',
    '  if (real === undefined && PLAIN.has(name) && startupSnapshot.isBuildingSnapshot()) {',
    '    return function (...args) { return Reflect.apply(load()[name], this === exports ? real : this, args); };',
    '  }',
    '  return load()[name];',
    '}',
    ...names.map((n) => `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, get: () => get(${JSON.stringify(n)}) });`),
    '',
  ].join('\n');
}
