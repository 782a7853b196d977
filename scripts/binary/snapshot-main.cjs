/* eslint-disable @typescript-eslint/no-require-imports -- Node 20 runs one CommonJS script as a single executable's main */
// The single executable's main script when it is built with a V8 startup snapshot
// (scripts/build-binary.mjs; the SEA config's `useSnapshot`). It runs ONCE, at build time, in
// Node's snapshot builder: the build writes the CLI's one-file bundle in place of the marker
// below, this script evaluates it, evaluates the modules of `run` and `exec` and the HTTP
// client into it too (preload), and names `start` as what the executable runs. The executable
// then starts from that heap: no source to compile, no module to evaluate.
// What depends on the run — environment, argv, process handles, the executable's path, timers,
// sockets — must not be in the snapshot: the bundle's built-ins that Node does not support there
// are loaded on first use (scripts/binary/lazy-builtins.mjs), and what runs here is only the
// modules' top level (constants, classes, tables), as each module's author wrote it to run
// once at load.
// AGENTKIT_DEBUG_STARTUP=1 says on stderr that the executable started from its snapshot.
'use strict';
const { startupSnapshot } = require('node:v8');

// A failure while the snapshot is built shows where (the builder leaves no stack otherwise);
// put back before the snapshot is taken, which keeps it.
const stackTraceLimit = Error.stackTraceLimit;
Error.stackTraceLimit = 30;

// The bundle's `import.meta.url`: the executable's URL, set again when it starts (at build time
// it is the builder's Node, which a module's top level may keep: nothing the executable uses).
const executableUrl = () => require('node:url').pathToFileURL(process.execPath).href;
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- read by the bundle written in below
let agentkitExecutableUrl = executableUrl();
startupSnapshot.addDeserializeCallback(() => {
  agentkitExecutableUrl = executableUrl();
});

const bundleModule = { exports: {} };
// The CommonJS wrapper, so the bundle sees the usual module variables.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the bundle written in below uses them
(function (exports, require, module, __filename, __dirname) {
  // @agentkit-bundle
})(bundleModule.exports, require, bundleModule, process.execPath, require('node:path').dirname(process.execPath));

const { main, preload } = bundleModule.exports;
// The builder runs the event loop until it is empty before it writes the snapshot.
preload().then(
  () => {
    Error.stackTraceLimit = stackTraceLimit;
  },
  (error) => {
    process.stderr.write(`agentkit snapshot: preloading the commands failed: ${error.stack}\n`);
    process.exitCode = 1;
  },
);
startupSnapshot.setDeserializeMainFunction(start);

function start() {
  const sea = require('node:sea');
  // Started by itself as symdb's parser process (PARSER_PROCESS_ENV in
  // packages/symdb/src/extract/parser-process/protocol.ts): it runs that process's own bundle,
  // and nothing of the CLI. Its channel and pipes are the ones the parent opened.
  if (sea.isSea() && process.env.AGENTKIT_SYMDB_PARSER_PROCESS === '1') {
    runEmbedded(sea, 'agentkit-symdb-parser.cjs');
    return;
  }
  if (process.env.AGENTKIT_DEBUG_STARTUP === '1') process.stderr.write('agentkit: started from the startup snapshot\n');
  // argv is [executable, executable, ...arguments] in a single executable.
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

/** Runs the CommonJS bundle embedded under `key` (a small, short-lived process). */
function runEmbedded(sea, key) {
  const code = Buffer.from(sea.getRawAsset(key)).toString('utf8');
  const vm = require('node:vm');
  const wrapped = new vm.Script(`// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the bundle written in below uses them
(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: key });
  const embeddedModule = { exports: {} };
  wrapped.runInThisContext()(embeddedModule.exports, require, embeddedModule, process.execPath, require('node:path').dirname(process.execPath));
}
