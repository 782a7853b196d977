// Bundles the `agentkit` CLI (packages/agent/dist/cli.js and all it imports: our packages,
// inversify, pino, yaml, undici…) into a few ESM files in packages/agent/dist/bundle/, which
// packages/agent/bin/agentkit.js loads when they are up to date. Why: Node resolves, reads and
// compiles each of the ~400 files of the unbundled CLI separately; the bundle takes about
// 300 ms off `agentkit exec`'s start (`node bench/cold-start/cold-start.mjs [--unbundled]`,
// docs/benchmarks.md). Code splitting keeps each command's code in its own chunk, so
// `agentkit --help` and `agentkit version` load almost nothing. (A CommonJS bundle with a
// recorded V8 code cache was tried too: no faster, since deserialising the cache costs about
// what compiling the chunks does.)
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

// CommonJS packages loaded with import(): Node gives their named exports (`undici.Agent`), but
// esbuild's chunk for such a package exports only `default`. A small ESM facade, with the
// export names read from the package itself here, restores what Node would give.
const CJS_IMPORTED_DYNAMICALLY = ['undici'];
// Resolved as the forwarder, which depends on undici, would resolve it.
const requireFromForwarder = createRequire(`${root}packages/forwarder/package.json`);
const cjsNamedExports = {
  name: 'cjs-named-exports',
  setup(b) {
    const filter = new RegExp(`^(${CJS_IMPORTED_DYNAMICALLY.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'cjs-facade' ? undefined : { path: args.path, namespace: 'cjs-facade' }));
    b.onLoad({ filter: /.*/, namespace: 'cjs-facade' }, (args) => {
      const names = Object.keys(requireFromForwarder(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
      return {
        contents: `import m from ${JSON.stringify(requireFromForwarder.resolve(args.path))};\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`,
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

// undici 7 reads globalThis.Headers once, at load, only so that its cookie helpers (getCookies,
// setCookie: unused here) also accept Node's built-in Headers. On Node 20 that read makes Node
// load its own, second copy of undici and compile that copy's HTTP parser (WebAssembly) in the
// background: ~30 ms of CPU at every start, taken from the program `agentkit exec` runs beside
// it (measured: 210 → 180 ms of CPU for `agentkit exec -- node -e 0`). The bundle leaves it out.
const GLOBAL_HEADERS_READ = '[Headers, globalThis.Headers].filter(Boolean)';
const undiciWithoutGlobalHeaders = {
  name: 'undici-without-global-headers',
  setup(b) {
    b.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]web[\\/]cookies[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(GLOBAL_HEADERS_READ)) {
        // A newer undici: the bundle still works, it only loses the saving. Say so.
        process.stderr.write(`bundle-cli: ${args.path} no longer contains "${GLOBAL_HEADERS_READ}"; left as it is\n`);
        return undefined;
      }
      return { contents: source.replace(GLOBAL_HEADERS_READ, '[Headers]'), loader: 'js' };
    });
  },
};

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
  plugins: [ownImportMetaUrl, cjsNamedExports, undiciWithoutGlobalHeaders],
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
