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
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { asciiOnly, isBuildUpToDate, undiciSlim } from './esbuild-plugins.mjs';

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

// Up to date already: leave it. `npm start` builds before every run, and rewriting the bundle
// under a CLI that is loading its chunks (tests run several at once) would break that CLI.
// The inputs: what `tsc -b` wrote (it leaves a package's .tsbuildinfo alone when nothing
// changed), the installed dependencies (package-lock.json) and this script. Deleting
// packages/agent/dist/bundle forces a new bundle.
if (isBuildUpToDate(root, `${outdir}/cli.js`, [fileURLToPath(import.meta.url)])) process.exit(0);

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
  // Native addons stay outside (loaded from node_modules when needed); so does pino-pretty,
  // which @agentkit/log requires by name only for a terminal.
  external: ['unix-dgram', 'oxc-parser', 'pino-pretty'],
  // CommonJS dependencies (pino, …) call require() for Node's built-ins: give ESM chunks one.
  banner: { js: "import { createRequire as __agentkitCreateRequire } from 'node:module';\nconst require = __agentkitCreateRequire(import.meta.url);" },
  plugins: [ownImportMetaUrl, undiciSlim(root, 'bundle-cli')],
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});
// Written ASCII only (see asciiOnly): each chunk's source is then held one byte a character.
mkdirSync(outdir, { recursive: true });
for (const file of outputFiles) writeFileSync(file.path, asciiOnly(file.text, path.relative(root, file.path)));
