// Bundles the `agentkit` CLI (packages/agent/dist/cli.js and all it imports: our packages,
// inversify, pino, yaml, undici…) into one CommonJS file, packages/agent/dist/bundle/cli.cjs,
// and records V8's code cache for it (cli.code-cache), which packages/agent/bin/agentkit.js
// loads (bin/load-bundle.js) when they are up to date. Why: Node resolves, reads and compiles
// each of the ~400 files of the unbundled CLI separately; the bundle takes about 300 ms off
// `agentkit exec`'s start (`node bench/cold-start/cold-start.mjs [--unbundled]`,
// docs/benchmarks.md). One CommonJS file rather than ESM chunks: Node 20 has a code cache for
// scripts only (vm.Script cachedData; modules get one in Node 22), and a script skips the ES
// module loader (its ~18 internal modules, and decoding each chunk). Each command's code is
// still evaluated only when the command runs (esbuild's lazy module wrappers); its functions
// are compiled only when called.
// The cache is of the top level only, recorded without running anything: the same bundle and
// the same Node give the same bytes (checked below), and it costs no work at build time.
// The single executable (scripts/build-binary.mjs) can embed the same cli.cjs.
// Run after `tsc -b` (it bundles the compiled JavaScript): `npm run build` does both.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { build } from 'esbuild';
import { codeCacheFileOf, wrapBundleSource } from '../packages/agent/bin/load-bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}packages/agent/dist/bundle`;
const entry = `${root}packages/agent/dist/cli.js`;
const outfile = `${outdir}/cli.cjs`;

// Our packages find files next to their modules with `import.meta.url` (core its package.json,
// the intake its page, the listeners a native addon). A CommonJS bundle has no import.meta:
// each use becomes the module's own URL, relative to the bundle's, which holds in this
// repository and once installed (node_modules/@agentkit/<name>/dist/… are siblings there too).
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const relative = path.relative(outdir, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, __agentkitBundleUrl).href`), loader: 'js' };
    });
  },
};

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
// Resolved as the forwarder, which depends on undici, would resolve it.
const requireFromForwarder = createRequire(`${root}packages/forwarder/package.json`);
const undiciSlim = {
  name: 'undici-slim',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-slim' }));
    b.onLoad({ filter: /.*/, namespace: 'undici-slim' }, () => {
      const unknown = undiciNamesUsed().filter((name) => !(name in UNDICI_PARTS));
      if (unknown.length > 0) throw new Error(`bundle-cli: our code uses undici.${unknown.join(', undici.')}, which the bundle's undici facade does not export: add it to UNDICI_PARTS`);
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
};

/** The `undici.<Name>` members our packages' sources use (they import undici as a namespace). */
function undiciNamesUsed() {
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

// Up to date already: leave it. `npm start` builds before every run, and rewriting the bundle
// under a CLI that is loading its chunks (tests run several at once) would break that CLI.
// The inputs: what `tsc -b` wrote (it leaves a package's .tsbuildinfo alone when nothing
// changed), the installed dependencies (package-lock.json) and this script. Deleting
// packages/agent/dist/bundle forces a new bundle.
if (isUpToDate(outfile)) process.exit(0);

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Native addons stay outside (loaded from node_modules when needed); so does pino-pretty,
  // which @agentkit/log requires by name only for a terminal.
  external: ['unix-dgram', 'oxc-parser', 'pino-pretty'],
  // The URL our modules' own URLs are relative to (see ownImportMetaUrl).
  banner: { js: "const __agentkitBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [ownImportMetaUrl, undiciSlim],
  legalComments: 'none',
  logLevel: 'warning',
});

// What stays outside and is loaded with import() (oxc-parser, node:https): in the bin's
// vm.Script such an import() would need Node 20's experimental dynamic-import hook (which
// warns); it goes through the loader's `__agentkitImport` instead, or Node's own import() when
// the file is require()d as it is.
const bundled = readFileSync(outfile, 'utf8');
const dynamicImport = /\bimport\((?=["'])/g;
const withImports = `const __agentkitImportExternal = typeof __agentkitImport === 'function' ? __agentkitImport : (specifier) => import(specifier);\n${bundled.replace(dynamicImport, '__agentkitImportExternal(')}`;
writeFileSync(outfile, withImports);

// The code cache of the bundle's top level, as the bin compiles it. Deterministic: recorded
// twice, it must come out the same (V8 writes no time or address into it).
const record = () => new Script(wrapBundleSource(withImports), { filename: outfile }).createCachedData();
const cache = record();
if (!cache.equals(record())) throw new Error('bundle-cli: V8 recorded two different code caches for the same bundle; not writing one');
writeFileSync(codeCacheFileOf(outfile), cache);

/** True when `file` exists and is newer than every input of the bundle. */
function isUpToDate(file) {
  const mtimeMs = (f) => {
    try {
      return statSync(f).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const builtAtMs = mtimeMs(file);
  if (builtAtMs === undefined) return false;
  const inputs = [`${root}package-lock.json`, fileURLToPath(import.meta.url)];
  for (const name of readdirSync(`${root}packages`)) inputs.push(`${root}packages/${name}/dist/.tsbuildinfo`);
  return inputs.every((input) => (mtimeMs(input) ?? 0) < builtAtMs);
}
