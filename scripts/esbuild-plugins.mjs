// esbuild plugins, and the up-to-date check, shared by the builds of the CLI: the npm CLI's ESM chunks
// (scripts/bundle-cli.mjs) and the single executable's one CommonJS file (scripts/build-binary.mjs).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The entry of a one-file CommonJS bundle of the CLI (the npm build's, scripts/bundle-cli.mjs,
 * and the single executable's): it runs the CLI on the process's arguments. `cli` is
 * packages/agent/dist/cli.js's path as a JavaScript string literal.
 * @type {(cli: string) => string}
 */
export const ONE_FILE_ENTRY = (cli) => `import { main } from ${cli};\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`;

/**
 * How the CLI's one-file bundles are written (the npm CLI's, scripts/bundle-cli.mjs, and the
 * single executable's, scripts/build-binary.mjs). V8 keeps a script's whole source for the
 * process's life (it compiles functions from it lazily; `Function.prototype.toString`), so the
 * idle agent holds every byte of it: whitespace and comments were 0.6 of the 1.9 MB, and go;
 * so does what syntax minification rewrites shorter. Identifiers stay as they are, without
 * esbuild's `keepNames` (its `__name()` call per function cost as much memory as the
 * whitespace saved): a stack trace in a log names our functions and classes as the sources
 * do. Its positions (line 2 or so, a large column) lead to the TypeScript source through the
 * source map written beside the bundle (`<bundle>.map`, ~0.9 MB, never loaded unless Node's
 * source maps are on: NODE_OPTIONS=--enable-source-maps, packages/agent/bin/cached-bundle.cjs,
 * or offline, scripts/map-stack-trace.mjs). Measured against identifiers minified too and the
 * rest: docs/benchmarks.md, "Issue 14 §3, the one file's source text (part bundlesrc)".
 */
export const ONE_FILE_SOURCE = { minifyWhitespace: true, minifySyntax: true, sourcemap: 'linked', sourcesContent: false };

/**
 * `source` (read from `file`) with its one occurrence of `text` replaced by `replacement`. Throws,
 * naming `what` to update in this file, when `text` is not there exactly once (a new version of
 * the dependency): the bundle's rewrites never apply to code they were not written for.
 */
function replaceOnce(source, text, replacement, file, what) {
  if (source.split(text).length !== 2) throw new Error(`${file} does not hold ${JSON.stringify(text.trim())} once, as this build expects (a new version?): update ${what} in scripts/esbuild-plugins.mjs`);
  return source.replace(text, () => replacement);
}

// node:assert loaded when a check first fails, and it then throws the same AssertionError. Two
// parameters, no rest array: no allocation per check; node:assert then sees two arguments where
// the caller gave one, which changes nothing (an absent message is generated either way).
const LAZY_ASSERT = "const assert = (value, message) => { if (!value) require('node:assert')(value, message) }\n";

// pino and sonic-boom load node:worker_threads (pino's tools.js for `isMainThread`, its
// transport.js through thread-stream), node:module (transport.js's `createRequire`, which brings
// Node's ES module loader) and node:assert (one check in sonic-boom's destroy) when
// they load, which is before exec starts its program (the logger is made first): ~2 ms of CPU
// on a path that is otherwise Node's own start. Our logger writes synchronously to a file
// descriptor (packages/log, create-logger.ts) and uses no transport, so none of them is
// needed there: each is required at its first use instead, the same module then as before.
const PINO_LAZY_REQUIRES = [
  {
    file: 'pino/lib/tools.js',
    edits: [
      ["const { isMainThread } = require('worker_threads')\n", "let workerThreads\nconst isMainThreadNow = () => (workerThreads ??= require('worker_threads')).isMainThread\n"],
      ['if (!opts.sync && isMainThread) {', 'if (!opts.sync && isMainThreadNow()) {'],
    ],
    unbound: /(?<![.\w])isMainThread\b/,
  },
  {
    file: 'pino/lib/transport.js',
    edits: [
      ["const ThreadStream = require('thread-stream')\n", "let ThreadStreamClass\nfunction ThreadStream (options) { return new (ThreadStreamClass ??= require('thread-stream'))(options) }\n"],
      ["const { createRequire } = require('module')\n", "const createRequire = (from) => require('module').createRequire(from)\n"],
    ],
  },
  {
    // pino's own sonic-boom (pino-pretty's, loaded only for human-readable output, is left alone).
    file: 'sonic-boom/index.js',
    from: 'pino/package.json',
    // Its one use is a condition check, `assert(condition)`: LAZY_ASSERT.
    edits: [["const assert = require('assert')\n", LAZY_ASSERT]],
  },
];

/**
 * pino's and sonic-boom's built-ins required at first use (above), in the copies our logger
 * (packages/log) loads. `root` is the repository's root (with a trailing slash). Fails the build
 * when a file no longer reads as expected (a new pino or sonic-boom), naming what to update.
 * @type {(root: string) => import('esbuild').Plugin}
 */
export const pinoLazyRequires = (root) => ({
  name: 'pino-lazy-requires',
  setup(b) {
    const requireFromLog = createRequire(`${root}packages/log/package.json`);
    for (const { file, from, edits, unbound } of PINO_LAZY_REQUIRES) {
      const resolved = (from === undefined ? requireFromLog : createRequire(requireFromLog.resolve(from))).resolve(file);
      b.onLoad({ filter: new RegExp(`^${resolved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }, (args) => {
        let source = readFileSync(args.path, 'utf8');
        for (const [text, replacement] of edits) source = replaceOnce(source, text, replacement, args.path, 'PINO_LAZY_REQUIRES');
        if (unbound?.test(source)) throw new Error(`pino-lazy-requires: ${args.path} uses ${unbound.source} beyond what this build rewrites (a new pino?): update PINO_LAZY_REQUIRES in scripts/esbuild-plugins.mjs`);
        return { contents: source, loader: 'js' };
      });
    }
  },
});

/**
 * `text` (an esbuild output named `name`) with every non-ASCII character as its `\u` escape.
 * Why: V8 keeps a module's source for what it compiles lazily, in one byte a character only
 * when every character is Latin-1; esbuild leaves a few others in comments and one regular
 * expression (`µs|μs`), and the whole chunk is then held two bytes a character (the npm CLI's
 * two big chunks: ~1 MB of idle heap). The escape means the same character in a string, a
 * template, a regular expression or an identifier, and is harmless in a comment; after a
 * backslash it would not, and the build refuses that. With `mapped` (a source map was written
 * for `text`) the text must be ASCII already: it is returned as it is, or the build fails.
 */
export function asciiOnly(text, name, { mapped = false } = {}) {
  if (/\\[\u0080-\uffff]/.test(text)) throw new Error(`${name} has a backslash before a non-ASCII character: cannot make it ASCII safely`);
  // An escape moves every later column of its line, which in a minified bundle is most of it.
  const nonAscii = mapped ? /[\u0080-\uffff]/.exec(text) : null;
  if (nonAscii !== null) throw new Error(`${name} has a non-ASCII character that esbuild did not escape, ${JSON.stringify(text.slice(Math.max(0, nonAscii.index - 40), nonAscii.index + 20))}: escaping it here would put its source map's columns off; write it as a \\u escape in its source (a regular expression, as packages/config/src/parse.ts does)`);
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * True when `file` exists and is newer than every input of a build of the CLI: what `tsc -b`
 * wrote (it leaves a package's .tsbuildinfo alone when nothing changed), the installed
 * dependencies (package-lock.json), this file, and `moreInputs` (the build script itself…).
 */
export function isBuildUpToDate(root, file, moreInputs) {
  const mtimeMs = (f) => {
    try {
      return statSync(f).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const builtAtMs = mtimeMs(file);
  if (builtAtMs === undefined) return false;
  const inputs = [`${root}package-lock.json`, fileURLToPath(import.meta.url), ...moreInputs];
  for (const name of readdirSync(`${root}packages`)) inputs.push(`${root}packages/${name}/dist/.tsbuildinfo`);
  return inputs.every((input) => (mtimeMs(input) ?? 0) < builtAtMs);
}
