// Bundles the `agentkit` CLI (packages/agent/dist/cli.js and all it imports: our packages,
// inversify, pino, yaml, undici…) into a few ESM files in packages/agent/dist/bundle/, which
// packages/agent/bin/agentkit.js loads when they are up to date. Why: Node resolves, reads and
// compiles each of the ~400 files of the unbundled CLI separately; the bundle takes about
// 300 ms off `agentkit exec`'s start (`node bench/cold-start/cold-start.mjs [--unbundled]`,
// docs/benchmarks.md). Code splitting keeps each command's code in its own chunk, so
// `agentkit --help` and `agentkit version` load almost nothing. (A CommonJS bundle with a
// recorded V8 code cache was tried twice, the last time in commit bee31cc: ~7 ms less CPU over
// a whole `exec -- node -e 0`, none of it before the program starts, and V8 writes a different
// cache at every build; docs/benchmarks.md, "Start-up: cold start and idle memory".)
// Run after `tsc -b` (it bundles the compiled JavaScript): `npm run build` does both.
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}packages/agent/dist/bundle`;
const entry = `${root}packages/agent/dist/cli.js`;

// Our packages find files next to their modules with `import.meta.url` (core its package.json,
// the intake its page, the listeners a native addon). In a chunk it would be the chunk's URL:
// each use becomes the module's own URL, relative to the chunk, which holds in this repository
// and once installed (node_modules/@agentkit/<name>/dist/… are siblings there too).
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const relative = path.relative(outdir, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'js' };
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
if (isUpToDate(`${outdir}/cli.js`)) process.exit(0);

// Chunk names carry a content hash: clear the old ones rather than let them pile up.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons stay outside (loaded from node_modules when needed); so does pino-pretty,
  // which @agentkit/log requires by name only for a terminal.
  external: ['unix-dgram', 'oxc-parser', 'pino-pretty'],
  // CommonJS dependencies (pino, …) call require() for Node's built-ins: give ESM chunks one.
  banner: { js: "import { createRequire as __agentkitCreateRequire } from 'node:module';\nconst require = __agentkitCreateRequire(import.meta.url);" },
  plugins: [ownImportMetaUrl, undiciSlim],
  legalComments: 'none',
  logLevel: 'warning',
});

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
