// Bundles the `agentkit` CLI (packages/agent/dist/cli.js and all it imports: our packages,
// inversify, pino, yaml…) twice, for packages/agent/bin/agentkit.js, which loads the
// first that is up to date:
//   1. into ONE CommonJS file, packages/agent/dist/one-file/agentkit.cjs (whitespace and syntax
//      minified, names kept, its source map agentkit.cjs.map beside it), with V8 code caches
//      recorded by real runs of it (scripts/record-code-cache.mjs, the single executable's step
//      too): the bin compiles it through a `vm.Script` with the cache of its command
//      (packages/agent/bin/cached-bundle.cjs, the single executable's loader too), which Node 20
//      cannot do for ES modules. Each command's code stays behind its dynamic import() (esbuild
//      wraps such a module in a function it calls at the import), so what runs before exec's
//      spawn is what the chunks ran;
//   2. into a few ESM files in packages/agent/dist/bundle/ (code splitting keeps each command's
//      code in its own chunk), the bin's path when the one file or its recording is missing.
// Why: Node resolves, reads and compiles each of the ~400 files of the unbundled CLI
// separately; the chunks take about 300 ms off `agentkit exec`'s start, the cached one file
// ~40 ms of CPU more (`node bench/cold-start/side-by-side.mjs`, docs/benchmarks.md, "Issue 17 §1, the
// npm CLI through the code-cached one-file bundle"). (The first try of a cached one file, commit
// bee31cc, recorded its cache before running anything, so it held only the top level.)
// Run after `tsc -b` (it bundles the compiled JavaScript): `npm run build` does both.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { asciiOnly, isBuildUpToDate, ONE_FILE_ENTRY, ONE_FILE_SOURCE, pinoLazyRequires } from './esbuild-plugins.mjs';
import { recordCodeCaches } from './record-code-cache.mjs';

const { WRAPPER_HEAD, WRAPPER_TAIL } = createRequire(import.meta.url)('../packages/agent/bin/cached-bundle.cjs');

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}packages/agent/dist/bundle`;
const entry = `${root}packages/agent/dist/cli.js`;
const oneFileDir = `${root}packages/agent/dist/one-file`;
const oneFile = `${oneFileDir}/agentkit.cjs`;
const bin = `${root}packages/agent/bin/agentkit.js`;
// Native addons stay outside (loaded from node_modules when needed); so does pino-pretty,
// which @agentkit/log requires by name only for a terminal.
const external = ['unix-dgram', 'oxc-parser', 'pino-pretty'];

// Our packages find files next to their modules with `import.meta.url` (core its package.json,
// the intake its page, the listeners a native addon). In a bundle it would be the bundle's URL
// (and a CommonJS file has none): each use becomes the module's own URL, relative to the
// bundle's (`base`, an expression), which holds in this repository and once installed
// (node_modules/@agentkit/<name>/dist/… are siblings there too).
const ownImportMetaUrl = (dir, base) => ({
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const relative = path.relative(dir, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, ${base}).href`), loader: 'js' };
    });
  },
});

// Up to date already: leave it. `npm start` builds before every run, and rewriting the bundle
// under a CLI that is loading its chunks (tests run several at once) would break that CLI.
// The inputs: what `tsc -b` wrote (it leaves a package's .tsbuildinfo alone when nothing
// changed), the installed dependencies (package-lock.json), this script, the recording step and
// what the recording runs (the bin, the loader). The one file's caches are written last.
// Deleting packages/agent/dist/bundle or dist/one-file forces new bundles.
const inputs = [fileURLToPath(import.meta.url), `${root}scripts/record-code-cache.mjs`, bin, `${root}packages/agent/bin/cached-bundle.cjs`];
if (isBuildUpToDate(root, `${outdir}/cli.js`, inputs) && isBuildUpToDate(root, `${oneFileDir}/agentkit.cache`, inputs)) process.exit(0);

// Chunk names carry a content hash: clear the old ones rather than let them pile up.
rmSync(outdir, { recursive: true, force: true });
const { outputFiles } = await build({
  entryPoints: { cli: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // CommonJS dependencies (pino, …) call require() for Node's built-ins: give ESM chunks one.
  banner: { js: "import { createRequire as __agentkitCreateRequire } from 'node:module';\nconst require = __agentkitCreateRequire(import.meta.url);" },
  plugins: [ownImportMetaUrl(outdir, 'import.meta.url'), pinoLazyRequires(root)],
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});
// Written ASCII only (see asciiOnly): each chunk's source is then held one byte a character.
mkdirSync(outdir, { recursive: true });
for (const file of outputFiles) writeFileSync(file.path, asciiOnly(file.text, path.relative(root, file.path)));

// The one file. Its caches go first: V8 checks a cache against its source's length only, so a
// cache must never sit beside a bundle it was not recorded from (the bin also takes only a
// cache newer than the bundle). The bundle is renamed into place whole: a CLI starting now
// reads either the old file or the new one.
mkdirSync(oneFileDir, { recursive: true });
for (const name of ['agentkit-exec.cache', 'agentkit.cache']) rmSync(`${oneFileDir}/${name}`, { force: true });
const BUNDLE_URL = '__agentkitBundleUrl';
const oneFileBuild = await build({
  stdin: { contents: ONE_FILE_ENTRY(JSON.stringify(entry)), resolveDir: root, loader: 'js', sourcefile: 'agentkit-one-file-entry.js' },
  outfile: oneFile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // acorn too (228 kB, symdb's parser where oxc-parser's binding cannot load): V8 holds all of
  // the one file's source for the process's life, where it holds only the chunks loaded.
  external: [...external, 'acorn'],
  // A `vm.Script` has no import() of its own (without an experimental Node option): each
  // import() of what stays outside (node:https for the intake, oxc-parser, an ES module that
  // Node 20.19+ requires) becomes a require() in a promise.
  supported: { 'dynamic-import': false },
  // The module wrapper in the file (cached-bundle.cjs says why); __filename: the bundle's path,
  // given by the loader (bin/agentkit.js).
  banner: { js: `${WRAPPER_HEAD}\nvar ${BUNDLE_URL} = require('node:url').pathToFileURL(__filename).href;` },
  footer: { js: WRAPPER_TAIL },
  plugins: [ownImportMetaUrl(oneFileDir, BUNDLE_URL), pinoLazyRequires(root)],
  legalComments: 'none',
  // Compact, and its source map beside it (agentkit.cjs.map): esbuild-plugins.mjs says why.
  ...ONE_FILE_SOURCE,
  logLevel: 'warning',
  write: false,
});
const outputOf = (file) => oneFileBuild.outputFiles.find((output) => output.path === file);
writeFileSync(`${oneFile}.map`, outputOf(`${oneFile}.map`).text);
writeFileSync(`${oneFile}.tmp`, asciiOnly(outputOf(oneFile).text, path.relative(root, oneFile), { mapped: true }));
renameSync(`${oneFile}.tmp`, oneFile);
// Without its caches the one file starts slower than the chunks: when the recording fails (a
// machine without loopback UDP, say), the one file goes and the bin loads the chunks; the build
// says so and goes on (test/npm-cli-code-cache.test.ts fails where that should not happen).
try {
  await recordCodeCaches({ root, outdir: oneFileDir, runner: bin, logPrefix: 'bundle-cli' });
} catch (error) {
  rmSync(oneFileDir, { recursive: true, force: true });
  process.stderr.write(`${error.message}\nbundle-cli: left out ${path.relative(root, oneFileDir)}: the agentkit bin will load the ES module chunks (slower to start)\n`);
}
