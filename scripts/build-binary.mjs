// Builds dist/agentkit: the `agentkit` CLI as one executable file (a Node single executable
// application) that needs no Node, no npm and no node_modules where it runs, so any
// container image can use it the way serverless-init is used (docs/containers.md).
//   1. esbuild bundles packages/agent/dist/cli.js and all it loads into ONE CommonJS file,
//      dist/agentkit.cjs: Node 20 embeds a single CommonJS script, so the commands' dynamic
//      imports become parts of that file, and what the npm build leaves outside
//      (yaml, pino-pretty, oxc-parser, unix-dgram) is brought in;
//   2. it is run once as `exec` (and once as `--help`) to record V8 code caches of it
//      (scripts/record-code-cache.mjs, as the npm build does for its own one file);
//      `node --experimental-sea-config` turns a small main script (scripts/binary/sea-main.cjs,
//      bundled with the loader it shares with the npm bin) into a blob, with the bundle, the caches and the files that must travel with it (the
//      local intake's page, the addons) as assets;
//   3. a copy of this Node (its symbols stripped when `strip` is there: 99 → 86 MB) gets
//      the blob injected by postject.
// Native addons (oxc-parser for symdb, unix-dgram for dogstatsd_socket) travel inside as
// assets, loaded when first needed; when one cannot be loaded there, the command degrades as
// the npm CLI does without it, and says why and which key needs it.
// Run after `npm run build` (`npm run build:binary` does both: a `tsc -b` alone would leave the
// npm CLI's one file older than the packages, and the bin would then run the unbundled packages). Skips the work when dist/agentkit is
// newer than every input; --force rebuilds. --no-code-cache leaves the code caches out (to
// measure what they give: docs/benchmarks.md). --snapshot: a V8 startup snapshot instead (below).
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { lazyBuiltins } from './binary/lazy-builtins.mjs';
import { asciiOnly, isBuildUpToDate, ONE_FILE_ENTRY, ONE_FILE_SOURCE, pinoLazyRequires } from './esbuild-plugins.mjs';
import { recordCodeCaches } from './record-code-cache.mjs';

const { WRAPPER_HEAD, WRAPPER_TAIL } = createRequire(import.meta.url)('../packages/agent/bin/cached-bundle.cjs');

const { values: flags } = parseArgs({
  options: { force: { type: 'boolean', default: false }, 'no-code-cache': { type: 'boolean', default: false }, snapshot: { type: 'boolean', default: false } },
});
// --snapshot builds, in dist/snapshot/ (its own folder: both can be built side by side), the
// executable that starts from a V8 startup snapshot of the CLI (scripts/binary/snapshot-main.cjs)
// instead of compiling the bundle with a recorded code cache (scripts/binary/sea-main.cjs). It is
// not the default: `exec` starts the program 15-20 ms of CPU sooner, but costs as much CPU in all
// (what runs after the spawn compiles from source, where the code cache has it), 9 MiB more RSS and
// 6.5 MB more file; and it refuses to start (exit 14) when NODE_OPTIONS holds a V8 flag, which the
// wrapped Node program's container often sets (docs/benchmarks.md, "Issue 17, a V8 startup snapshot").
const SNAPSHOT = flags.snapshot;
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = SNAPSHOT ? `${root}dist/snapshot` : `${root}dist`;
const binary = `${outdir}/agentkit`;
const bundle = `${outdir}/agentkit.cjs`;
// symdb's parser process, a bundle of its own: the executable started as one runs only this
// (scripts/binary/sea-main.cjs), so it neither compiles nor holds the CLI's megabytes.
const parserBundle = `${outdir}/agentkit-symdb-parser.cjs`;
const blob = `${outdir}/agentkit.blob`;
const seaConfig = `${outdir}/sea-config.json`;
const requireFromSymdb = createRequire(`${root}packages/symdb/package.json`);
const requireFromDogstatsd = createRequire(`${root}packages/dogstatsd/package.json`);
const EMBEDDED_ADDON_LOADER = `${root}scripts/binary/embedded-addon.mjs`;
const SEA_MAIN = `${root}scripts/binary/sea-main.cjs`;
const BUNDLE_LOADER = `${root}packages/agent/bin/cached-bundle.cjs`;
const SNAPSHOT_MAIN = `${root}scripts/binary/snapshot-main.cjs`;
const LAZY_BUILTINS = `${root}scripts/binary/lazy-builtins.mjs`;
const BUNDLE_MARKER = '  // @agentkit-bundle\n';

if (!flags.force && isUpToDate(binary)) {
  process.stdout.write(`build-binary: ${binary} is up to date\n`);
  process.exit(0);
}
mkdirSync(outdir, { recursive: true });

// Written here so that the built code needs no package.json beside it (packages/core/src/version.ts).
const version = JSON.parse(readFileSync(`${root}packages/core/package.json`, 'utf8')).version;

// Inside the executable `import.meta.url` has no meaning (no ESM, no files beside it): each
// use becomes the executable's own URL, so that what is still found at run time (a path made
// from it, a `createRequire(import.meta.url)` the rewrites below leave) is looked for beside
// the executable, and is reported missing there. (Run as `node dist/agentkit.cjs`, it is that
// file's URL.)
const IMPORT_META_URL = '__agentkitImportMetaUrl';
const banner = `var ${IMPORT_META_URL} = require("node:url").pathToFileURL(require("node:sea").isSea() ? process.execPath : __filename).href;`;
// In the snapshot it is the variable snapshot-main.cjs sets when the executable starts. What a
// module's top level made of it at build time names the builder's Node, and nothing in the
// executable uses it: @agentkit/intake's PAGE_DIR (the page is embedded), pretty-stream's
// createRequire (made at its use now, and rewritten below), oxc-parser's (its binding loader is replaced).
const SNAPSHOT_IMPORT_META_URL = 'agentkitExecutableUrl';

// Optional packages that the npm build loads with a runtime require (to load them only when
// used) and that the executable must carry: a plain require() lets esbuild bundle them, still
// evaluated only when that code runs. The build fails when one is not found, rather than
// ship an executable that lacks it.
const REQUIRES_TO_BUNDLE = [
  { file: /[\\/]config[\\/]dist[\\/]yaml-file\.js$/, from: "process.getBuiltinModule('node:module').createRequire(import.meta.url)('yaml')", to: "require('yaml')" },
  { file: /[\\/]log[\\/]dist[\\/]pretty-stream\.js$/, from: "process.getBuiltinModule('node:module').createRequire(import.meta.url)('pino-pretty')", to: "require('pino-pretty')" },
];
const bundledRequires = {
  name: 'bundled-requires',
  setup(b) {
    const done = new Set();
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, (args) => {
      const rewrites = REQUIRES_TO_BUNDLE.filter((r) => r.file.test(args.path));
      if (rewrites.length === 0) return undefined;
      let source = readFileSync(args.path, 'utf8');
      for (const r of rewrites) {
        if (!source.includes(r.from)) throw new Error(`build-binary: ${args.path} no longer contains ${r.from}: update REQUIRES_TO_BUNDLE`);
        source = source.replaceAll(r.from, r.to);
        done.add(r);
      }
      return { contents: source, loader: 'js' };
    });
    b.onEnd(() => {
      const missed = REQUIRES_TO_BUNDLE.filter((r) => !done.has(r));
      if (missed.length > 0) throw new Error(`build-binary: never saw ${missed.map((r) => r.from).join(', ')}: update REQUIRES_TO_BUNDLE`);
    });
  },
};

// unix-dgram (the dogstatsd_socket listener) loads its addon through `bindings`, which
// searches folders beside the package: in the executable it loads the embedded one. Left out
// when its build script did not run (the executable then says, as the npm CLI does, that
// dogstatsd_socket needs it).
const UNIX_DGRAM_ASSET = 'unix_dgram.node';
const UNIX_DGRAM_BINDING_LOAD = "require('bindings')('unix_dgram.node')";
const unixDgramAddonFile = resolveOptional(() => createRequire(requireFromDogstatsd.resolve('unix-dgram')).resolve('../build/Release/unix_dgram.node'));
if (unixDgramAddonFile !== undefined) {
  REQUIRES_TO_BUNDLE.push({ file: /[\\/]dogstatsd[\\/]dist[\\/]listeners[\\/]uds-datagram-listener\.js$/, from: "process.getBuiltinModule('node:module').createRequire(import.meta.url)('unix-dgram')", to: "require('unix-dgram')" });
} else {
  process.stderr.write('build-binary: unix-dgram is not built (allowScripts): the executable will not listen on dogstatsd_socket\n');
}
const embeddedUnixDgram = {
  name: 'embedded-unix-dgram-binding',
  setup(b) {
    b.onLoad({ filter: /[\\/]unix-dgram[\\/]lib[\\/]unix_dgram\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(UNIX_DGRAM_BINDING_LOAD)) throw new Error(`build-binary: ${args.path} no longer contains ${UNIX_DGRAM_BINDING_LOAD}`);
      const load = `require(${JSON.stringify(EMBEDDED_ADDON_LOADER)}).loadEmbeddedAddon(${JSON.stringify(UNIX_DGRAM_ASSET)})`;
      return { contents: source.replace(UNIX_DGRAM_BINDING_LOAD, load), loader: 'js' };
    });
  },
};

// oxc-parser (symdb's parser) is JavaScript around a native addon. The JavaScript is bundled;
// its binding loader is replaced by one that loads the addon embedded as an asset (a native
// addon can only be loaded from a file: it is written once to a private folder under the
// temporary directory, checked against its hash). When that fails (no writable temporary
// directory, another platform), symdb falls back to its JavaScript-only parser and says why.
const OXC_ADDON_ASSET = 'oxc-parser.node';
const oxcAddonFile = requireFromSymdb.resolve('@oxc-parser/binding-linux-x64-gnu/parser.linux-x64-gnu.node', { paths: [requireFromSymdb.resolve('oxc-parser')] });
const embeddedOxc = {
  name: 'embedded-oxc-binding',
  setup(b) {
    b.onLoad({ filter: /[\\/]oxc-parser[\\/]src-js[\\/]bindings\.js$/ }, async (args) => {
      // The same export names as the original loader, read from it (it loads the addon here).
      const names = Object.keys(await import(args.path)).filter((n) => n !== 'default' && n !== '__napiBindingTarget');
      return {
        contents: [
          `import { loadEmbeddedAddon } from ${JSON.stringify(EMBEDDED_ADDON_LOADER)};`,
          `const binding = loadEmbeddedAddon(${JSON.stringify(OXC_ADDON_ASSET)});`,
          `export const { ${names.join(', ')} } = binding;`,
          `export const __napiBindingTarget = 'embedded';`,
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

rmSync(bundle, { force: true });
rmSync(parserBundle, { force: true });
// What both bundles share: one CommonJS file, `import.meta.url` the executable's URL.
const define = { 'import.meta.url': IMPORT_META_URL, __AGENTKIT_VERSION__: JSON.stringify(version) };
// supported: a `vm.Script` has no import() of its own: an import() of what is not bundled (node:https
// for the intake) becomes a require() in a promise, as in the npm CLI's one file (scripts/bundle-cli.mjs).
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', supported: { 'dynamic-import': false }, define, banner: { js: banner }, legalComments: 'none', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: [`${root}packages/symdb/dist/extract/parser-process/parser-child-main.js`],
  outfile: parserBundle,
  plugins: [embeddedOxc],
});
const cli = JSON.stringify(`${root}packages/agent/dist/cli.js`);
const commandModule = (name) => JSON.stringify(`${root}packages/agent/dist/commands/${name}-command.js`);
// For the snapshot the entry runs nothing: it hands `main` to snapshot-main.cjs, and `preload`
// evaluates what `run` and `exec` load (their commands' modules), so that the executable finds
// them evaluated. The HTTP client (packages/forwarder, node-http-client.ts) is among them: it
// takes node:http / node:https at its first request, never at load.
const entry = SNAPSHOT
  ? `export { main } from ${cli};\nexport const preload = () => Promise.all([import(${commandModule('run')}), import(${commandModule('exec')})]);\n`
  : ONE_FILE_ENTRY(cli);
await build({
  stdin: { contents: entry, resolveDir: root, loader: 'js', sourcefile: 'agentkit-binary-entry.js' },
  ...common,
  // The snapshot's main holds the bundle as its own code; the executable's loader takes it with
  // the module wrapper written in (packages/agent/bin/cached-bundle.cjs says why).
  ...(SNAPSHOT ? { define: { ...define, 'import.meta.url': SNAPSHOT_IMPORT_META_URL }, banner: {} } : { banner: { js: `${WRAPPER_HEAD}\n${banner}` }, footer: { js: WRAPPER_TAIL } }),
  outfile: bundle,
  plugins: [...(SNAPSHOT ? [lazyBuiltins()] : []), bundledRequires, embeddedOxc, embeddedUnixDgram, pinoLazyRequires(root)],
  // Compact as the npm CLI's one file, its source map beside it (agentkit.cjs.map, not in the
  // executable: `node scripts/map-stack-trace.mjs --map dist/agentkit.cjs.map` reads a trace with it).
  ...ONE_FILE_SOURCE,
});

// ASCII only, as the npm CLI's chunks (asciiOnly in esbuild-plugins.mjs says why).
for (const file of [bundle, parserBundle]) writeFileSync(file, asciiOnly(readFileSync(file, 'utf8'), file, { mapped: file === bundle }));

// V8 code caches for the bundle, recorded by running it through the main script under this
// Node (packages/agent/bin/cached-bundle.cjs says why): after a real `agentkit exec` that ships
// to a local intake, and after `--help`.
const caches =
  SNAPSHOT || flags['no-code-cache'] ? {} : await recordCodeCaches({ root, outdir, runner: SEA_MAIN, env: { AGENTKIT_BUNDLE: bundle }, logPrefix: 'build-binary' });

const { embeddableAssets } = await import(`${root}packages/intake/dist/http/static-assets.js`);
// The snapshot holds the bundle's code (its compiled functions and their sources).
const assets = { ...(SNAPSHOT ? {} : { 'agentkit.cjs': bundle }), 'agentkit-symdb-parser.cjs': parserBundle, ...caches, [OXC_ADDON_ASSET]: oxcAddonFile };
if (unixDgramAddonFile !== undefined) assets[UNIX_DGRAM_ASSET] = unixDgramAddonFile;
for (const { key, file } of embeddableAssets()) assets[key] = file;
// `main` relative, run from dist/: it is the file name stack traces show (not the build's path).
if (SNAPSHOT) writeSnapshotMain(`${outdir}/agentkit-main.cjs`);
// The executable's `require` loads built-ins only: the loader it shares with the npm bin is bundled in.
else await build({ entryPoints: [SEA_MAIN], bundle: true, format: 'cjs', platform: 'node', target: 'node20', outfile: `${outdir}/agentkit-main.cjs`, legalComments: 'none', logLevel: 'warning' });
const config = { main: 'agentkit-main.cjs', output: blob, disableExperimentalSEAWarning: true, useSnapshot: SNAPSHOT, useCodeCache: false, assets };
writeFileSync(seaConfig, `${JSON.stringify(config, null, 2)}\n`);
// The snapshot builder prints one line of its own (that it deletes Error.stackTraceLimit).
execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { cwd: outdir, stdio: ['ignore', 'ignore', 'inherit'] });

rmSync(binary, { force: true });
const unpacked = `${binary}.tmp`;
if (!strip(process.execPath, unpacked)) copyFileSync(process.execPath, unpacked);
chmodSync(unpacked, 0o755);
await injectBlob(unpacked, readFileSync(blob));
// Renamed only when whole: a test or a bench never runs a half-written executable.
execFileSync('mv', [unpacked, binary]);
rmSync(blob, { force: true });
process.stdout.write(`build-binary: wrote ${binary} (${(statSync(binary).size / 1e6).toFixed(1)} MB)\n`);

/**
 * postject's `inject`, with its known warnings about Node's ELF notes (LIEF finds no names for
 * the `.note` sections of Node's official binary: harmless, the executable is whole) summed up
 * in one line. Its WebAssembly binds console.warn when the module loads, hence the late import.
 */
async function injectBlob(file, bytes) {
  const warn = console.warn;
  let noteWarnings = 0;
  console.warn = (...args) => {
    if (/^warning: Can't find string offset for section name '\.note/.test(String(args[0]))) noteWarnings++;
    else warn(...args);
  };
  try {
    const { default: postject } = await import('postject');
    await postject.inject(file, 'NODE_SEA_BLOB', bytes, { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });
  } finally {
    console.warn = warn;
  }
  if (noteWarnings > 0) process.stderr.write(`build-binary: postject warned ${noteWarnings} times that a .note section of Node's binary has no name (harmless)\n`);
}

/**
 * Writes the snapshot's main script: scripts/binary/snapshot-main.cjs with the bundle in place
 * of its marker (the builder's `require` loads built-ins only, so the bundle must be in it).
 */
function writeSnapshotMain(file) {
  const template = readFileSync(SNAPSHOT_MAIN, 'utf8');
  if (!template.includes(BUNDLE_MARKER)) throw new Error(`build-binary: ${SNAPSHOT_MAIN} has no ${BUNDLE_MARKER.trim()} line`);
  const source = readFileSync(bundle, 'utf8');
  writeFileSync(file, template.replace(BUNDLE_MARKER, () => `${source}\n`));
}

function resolveOptional(resolve) {
  try {
    return resolve();
  } catch {
    return undefined;
  }
}

/** Copies `from` to `to` without its symbol tables; false when `strip` is not installed. */
function strip(from, to) {
  try {
    execFileSync('strip', ['-o', to, from], { stdio: ['ignore', 'ignore', 'pipe'] });
    return true;
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    process.stderr.write('build-binary: `strip` (binutils) is not installed: the executable keeps Node\'s symbols (~13 MB more)\n');
    return false;
  }
}

/** True when `file` exists and is newer than every input of the executable. */
function isUpToDate(file) {
  // The page is embedded as it is: tsc does not see it.
  const page = readdirSync(`${root}packages/intake/page`).map((name) => `${root}packages/intake/page/${name}`);
  return isBuildUpToDate(root, file, [fileURLToPath(import.meta.url), `${root}scripts/record-code-cache.mjs`, EMBEDDED_ADDON_LOADER, SEA_MAIN, BUNDLE_LOADER, SNAPSHOT_MAIN, LAZY_BUILTINS, process.execPath, ...page]);
}
