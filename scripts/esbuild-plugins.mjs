// esbuild plugins, and the up-to-date check, shared by the builds of the CLI: the npm CLI's ESM chunks
// (scripts/bundle-cli.mjs) and the single executable's one CommonJS file (scripts/build-binary.mjs).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// undici, loaded with import() once the listener is ready (see the forwarder's
// loadHttpDispatchers). Its index.js loads every part of undici (fetch, WebSocket, EventSource,
// the mock agents, the cache interceptors: 111 files); the forwarder uses three classes, which
// need 28 of them. Left out with the rest: the cookie helpers, whose read of
// globalThis.Headers made Node load and compile its own second copy of undici (~30 ms of CPU
// at every start; an earlier version of this script patched that read out). The bundle's `undici` is a small ESM facade over just those files, set up as
// undici's index.js sets them up (the request API on Dispatcher.prototype). Measured: loading
// undici 138–207 → 63–68 ms of one Node start on a loaded host, and it happens right when the
// wrapped program starts (docs/benchmarks.md, "Start-up: cold start and idle memory").
// A name outside UNDICI_PARTS used anywhere in our compiled code fails the build, so a new use
// of undici cannot silently get `undefined` from the facade.
const UNDICI_PARTS = { Agent: 'lib/dispatcher/agent.js', Pool: 'lib/dispatcher/pool.js', ProxyAgent: 'lib/dispatcher/proxy-agent.js' };

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
 * The bundle's `undici`: the facade above. `root` is the repository's root (with a trailing
 * slash); `logPrefix` names the build in its error.
 * @type {(root: string, logPrefix: string) => import('esbuild').Plugin}
 */
export const undiciSlim = (root, logPrefix) => ({
  name: 'undici-slim',
  setup(b) {
    // Resolved as the forwarder, which depends on undici, would resolve it.
    const requireFromForwarder = createRequire(`${root}packages/forwarder/package.json`);
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-slim' }));
    b.onLoad({ filter: /[\\/]undici[\\/]lib[\\/].*\.js$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      if (/[\\/]dispatcher[\\/]client-h2\.js$/.test(args.path)) source = lazyHttp2(source, args.path);
      if (/[\\/]web[\\/]fetch[\\/]body\.js$/.test(args.path)) source = lazyCryptoRandom(source, args.path);
      if (/[\\/]dispatcher[\\/]client-h1\.js$/.test(args.path)) source = oneLlhttp(source, args.path);
      if (/[\\/]llhttp[\\/]llhttp-wasm\.js$/.test(args.path)) source = llhttpBytesUncached(source, args.path);
      return { contents: lazyAssert(source, args.path), loader: 'js' };
    });
    b.onLoad({ filter: /.*/, namespace: 'undici-slim' }, () => {
      const unknown = undiciNamesUsed(root).filter((name) => !(name in UNDICI_PARTS));
      if (unknown.length > 0) throw new Error(`${logPrefix}: our code uses undici.${unknown.join(', undici.')}, which the bundle's undici facade does not export: add it to UNDICI_PARTS`);
      const file = (part) => JSON.stringify(requireFromForwarder.resolve(`undici/${part}`));
      const lines = [
        `import Dispatcher from ${file('lib/dispatcher/dispatcher.js')};`,
        `import api from ${file('lib/api/index.js')};`,
        'Object.assign(Dispatcher.prototype, api);',
        ...Object.entries(UNDICI_PARTS).map(([name, part]) => `export { default as ${name} } from ${file(part)};`),
      ];
      return { contents: `${lines.join('\n')}\n`, loader: 'js', resolveDir: root };
    });
  },
});

/**
 * `source` (read from `file`) with its one occurrence of `text` replaced by `replacement`. Throws,
 * naming `what` to update in this file, when `text` is not there exactly once (a new version of
 * the dependency): the bundle's rewrites never apply to code they were not written for.
 */
function replaceOnce(source, text, replacement, file, what) {
  if (source.split(text).length !== 2) throw new Error(`${file} does not hold ${JSON.stringify(text.trim())} once, as this build expects (a new version?): update ${what} in scripts/esbuild-plugins.mjs`);
  return source.replace(text, () => replacement);
}

// undici's HTTP/2 client requires node:http2 when undici loads, for ten constants, and so did
// every agentkit exec: ~4.7 ms of CPU (node:http2 and its internals), spent in the drain, where
// the forwarder first sends. The forwarder never allows HTTP/2 (no `allowH2`), so the module
// is only needed by `http2.connect`: it loads there, and the constants are written in with the
// values of the Node that builds (fixed protocol names and codes, the same in every Node).
const HTTP2_LOAD = /let http2\n(?:.*\n)*?} = http2\n/;
const HTTP2_CONSTANTS = ['HTTP2_HEADER_AUTHORITY', 'HTTP2_HEADER_METHOD', 'HTTP2_HEADER_PATH', 'HTTP2_HEADER_SCHEME', 'HTTP2_HEADER_CONTENT_LENGTH', 'HTTP2_HEADER_EXPECT', 'HTTP2_HEADER_STATUS', 'HTTP2_HEADER_PROTOCOL', 'NGHTTP2_REFUSED_STREAM', 'NGHTTP2_CANCEL'];

/** undici's client-h2.js (`source`, read from `file`) with node:http2 loaded at its first connection. */
function lazyHttp2(source, file) {
  const found = HTTP2_LOAD.exec(source);
  const uses = source.match(/\bhttp2\.[A-Za-z]+/g) ?? [];
  if (found === null || !HTTP2_CONSTANTS.every((name) => found[0].includes(name)) || uses.some((use) => use !== 'http2.connect')) {
    throw new Error(`undici-slim: ${file} does not load node:http2 as this build expects (a new undici?): update lazyHttp2 in scripts/esbuild-plugins.mjs`);
  }
  const { constants } = createRequire(import.meta.url)('node:http2');
  const lines = [
    'let http2Module',
    "const http2 = { connect: (...args) => (http2Module ??= require('node:http2')).connect(...args) }",
    ...HTTP2_CONSTANTS.map((name) => `const ${name} = ${JSON.stringify(constants[name])}`),
  ];
  return source.replace(HTTP2_LOAD, `${lines.join('\n')}\n`);
}

// undici's body mixin (on the request API's path) takes node:crypto's randomInt when it loads,
// for the boundary of a multipart body, which the forwarder never sends: node:crypto (26
// modules, ~1.7 ms of CPU) loaded with undici in every drain. It is looked up at the first
// boundary instead, the same function then as before.
const CRYPTO_RANDOM = /^const random = runtimeFeatures\.has\('crypto'\)\n? *\? require\('node:crypto'\)\.randomInt\n? *: \(max\) => Math\.floor\(Math\.random\(\) \* max\)\n/m;

/** undici's fetch/body.js (`source`, read from `file`) with node:crypto's randomInt taken at its first use. */
function lazyCryptoRandom(source, file) {
  if (!CRYPTO_RANDOM.test(source)) throw new Error(`undici-slim: ${file} does not take node:crypto's randomInt as this build expects (a new undici?): update lazyCryptoRandom in scripts/esbuild-plugins.mjs`);
  const lazy = [
    'let randomInt',
    "const random = (max) => (randomInt ??= runtimeFeatures.has('crypto') ? require('node:crypto').randomInt : (m) => Math.floor(Math.random() * m))(max)",
  ];
  return source.replace(CRYPTO_RANDOM, `${lazy.join('\n')}\n`);
}

// undici carries llhttp, its HTTP/1.1 parser, compiled to WebAssembly twice: with SIMD (tried
// first) and without (used where SIMD does not compile, and where UNDICI_NO_WASM_SIMD=1 or
// ppc64 before Node 24.12 turn it off), each a 72 kB base64 string. The bundle keeps the one
// without, which runs on every platform: the other was 72 kB of the bundle's source held in
// every process, and SIMD only speeds up long headers and bodies, where the agent reads a few
// short responses a flush (docs/benchmarks.md, "Issue 14 §3, undici's share of the idle agent").
const LLHTTP_SIMD_COMPILE = "      mod = new WebAssembly.Module(require('../llhttp/llhttp_simd-wasm.js'))\n";

/** undici's client-h1.js (`source`, read from `file`) compiling only llhttp's build without SIMD. */
function oneLlhttp(source, file) {
  if (source.split('llhttp_simd-wasm').length !== 2) throw new Error(`undici-slim: ${file} names llhttp's SIMD build other than where this build expects (a new undici?): update oneLlhttp in scripts/esbuild-plugins.mjs`);
  return replaceOnce(source, LLHTTP_SIMD_COMPILE, "      // agentkit's bundle: llhttp's SIMD build left out (scripts/esbuild-plugins.mjs, oneLlhttp)\n", file, 'oneLlhttp');
}

// llhttp-wasm.js decodes its base64 once and keeps the 54 kB Buffer for the process's life;
// it is read once (client-h1 keeps the one instance it makes), and V8 keeps its own copy of a
// module's bytes. Decoded at each read instead, the same bytes.
const LLHTTP_BYTES_CACHED = "    return wasmBuffer\n      ? wasmBuffer\n      : (wasmBuffer = Buffer.from(wasmBase64, 'base64'))\n";

/** undici's llhttp-wasm.js (`source`, read from `file`) without its decoded bytes kept. */
function llhttpBytesUncached(source, file) {
  return replaceOnce(source, LLHTTP_BYTES_CACHED, "    return Buffer.from(wasmBase64, 'base64')\n", file, 'llhttpBytesUncached');
}

// undici's files take node:assert when they load (18 of the bundle's 28), and nothing else of
// an idle agent needs it: node:assert and its helpers (assertion_error, calltracker,
// util/colors) are ~1 MB of an idle `agentkit run`'s RSS (docs/benchmarks.md, "Issue 14 §3,
// undici's share of the idle agent"). undici only calls it, `assert(condition)`, on its hot
// paths too, so it is loaded when a check first fails, and node:assert then throws the same
// AssertionError (its generated message quotes this function's call rather than undici's, the
// stack still shows undici's frame). A use other than a call fails the build.
const ASSERT_LOAD = "const assert = require('node:assert')\n";
// Two parameters, no rest array: no allocation per check. node:assert then sees two arguments
// where undici gave one, which changes nothing (an absent message is generated either way);
// only a call with none would differ ("No value argument passed"), and the build refuses that.
const LAZY_ASSERT = "const assert = (value, message) => { if (!value) require('node:assert')(value, message) }\n";

/** undici's `source` (read from `file`) with node:assert loaded by the first failing check, when it loads it. */
function lazyAssert(source, file) {
  const loads = source.split(ASSERT_LOAD).length - 1;
  if (loads === 0) {
    if (/require\(['"](?:node:)?assert['"]\)/.test(source)) throw new Error(`undici-slim: ${file} loads node:assert in a way this build does not expect (a new undici?): update lazyAssert in scripts/esbuild-plugins.mjs`);
    return source;
  }
  if (loads > 1 || /\bassert\s*(?:\.\s*[A-Za-z_$]|\(\s*\))/.test(source)) throw new Error(`undici-slim: ${file} uses node:assert other than as \`assert(condition)\` (a new undici?): update lazyAssert in scripts/esbuild-plugins.mjs`);
  return source.replace(ASSERT_LOAD, LAZY_ASSERT);
}

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
    // Its one use is a condition check: the same lazy assert as undici's (LAZY_ASSERT).
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

/** The `undici.<Name>` members our packages' sources use (they import undici as a namespace). */
function undiciNamesUsed(root) {
  const names = new Set();
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.ts')) for (const match of readFileSync(file, 'utf8').matchAll(/\bundici\.([A-Za-z_$][\w$]*)/g)) names.add(match[1]);
    }
  };
  for (const name of readdirSync(`${root}packages`)) {
    try {
      visit(`${root}packages/${name}/src`);
    } catch {
      // no sources
    }
  }
  return [...names];
}

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
