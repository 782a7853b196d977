// undici's share of an idle process, step by step (issue 14 §3): a bare Node with node:http and
// a loopback server (what the idle agent has anyway), then the CLI's undici as the one-file
// bundle holds it (the undiciSlim facade of scripts/esbuild-plugins.mjs, bundled by esbuild
// into one CommonJS file and run by packages/agent/bin/cached-bundle.cjs, the bin's loader,
// from a latin1 string, without a code cache), one Agent as the forwarder makes it, then one
// request (llhttp's WebAssembly compiled and instantiated, a keep-alive socket),
// then 2 s later (the idle reading: background compiles done). Each step: RSS, RssAnon, RssFile
// (/proc/self/status), V8's heap and code space, external memory, anonymous rwx pages (wasm
// and baseline code, /proc/self/smaps). Run it under the flags to compare, e.g.
//   node bench/memory/undici-share.mjs            (V8's defaults: TurboFan tier-up of the wasm)
//   node --liftoff-only bench/memory/undici-share.mjs
//   UNDICI_SHARE_V8_FLAGS=--liftoff-only node bench/memory/undici-share.mjs   (set at run time)
// Loopback only. Prints one JSON line.
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const { runBundle, WRAPPER_HEAD, WRAPPER_TAIL } = require('../../packages/agent/bin/cached-bundle.cjs');
const bundleFile = process.argv[2];
if (bundleFile === undefined) {
  // The build runs here, the measurement in a child that loads nothing but the bundle (esbuild
  // would be most of its heap).
  const { build } = await import('esbuild');
  const { undiciSlim } = await import('../../scripts/esbuild-plugins.mjs');
  const outfile = join(tmpdir(), `agentkit-undici-share-${process.pid}.cjs`);
  await build({
    stdin: { contents: "export { Agent } from 'undici';\n", resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    charset: 'ascii',
    banner: { js: WRAPPER_HEAD },
    footer: { js: WRAPPER_TAIL },
    outfile,
    logLevel: 'error',
    plugins: [undiciSlim(root, 'undici-share')],
  });
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), outfile], { stdio: 'inherit' });
  rmSync(outfile);
  process.exit(child.status ?? 1);
}
// UNDICI_SHARE_V8_FLAGS: V8 flags set at run time (v8.setFlagsFromString), before undici
// loads, as the agent sets --liftoff-only (packages/agent/src/agent-v8-flags.ts).
for (const flag of (process.env.UNDICI_SHARE_V8_FLAGS ?? '').split(' ').filter((f) => f !== '')) v8.setFlagsFromString(flag);
const KiB = 1024;

function reading() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
  let rwx = 0;
  let inRwx = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ (\S{4}) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (header !== null) inRwx = header[1] === 'rwxp' && header[3] === '';
    else if (inRwx && line.startsWith('Rss:')) rwx += Number(/(\d+)/.exec(line)[1]);
  }
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s]));
  const memory = process.memoryUsage();
  const code = v8.getHeapCodeStatistics();
  return {
    rss: kb('VmRSS'),
    anon: kb('RssAnon'),
    file: kb('RssFile'),
    heapCommitted: Math.round(memory.heapTotal / KiB),
    heapUsed: Math.round(memory.heapUsed / KiB),
    codeSpace: Math.round(spaces.code_space.space_size / KiB),
    bytecode: Math.round(code.bytecode_and_metadata_size / KiB),
    external: Math.round(memory.external / KiB),
    rwx,
  };
}

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
await settle(300);
const steps = { base: reading() };
const source = readFileSync(bundleFile, 'latin1');
const { Agent } = runBundle({ source, filename: bundleFile, cachedData: undefined, require: createRequire(bundleFile), moduleFilename: bundleFile, moduleDirname: tmpdir() });
const agent = new Agent({ headersTimeout: 5000, bodyTimeout: 5000 });
steps.undiciLoaded = reading();
const response = await agent.request({ origin, path: '/api/v2/series', method: 'POST', body: 'x'.repeat(100) });
await response.body.text();
steps.firstRequest = reading();
for (let i = 0; i < 20; i++) {
  const r = await agent.request({ origin, path: '/api/v2/series', method: 'POST', body: 'x'.repeat(100) });
  await r.body.text();
}
await settle(2000);
steps.idle = reading();
process.stdout.write(`${JSON.stringify({ flags: process.execArgv, runTimeFlags: process.env.UNDICI_SHARE_V8_FLAGS ?? '', steps })}\n`);
await agent.close();
server.close();
