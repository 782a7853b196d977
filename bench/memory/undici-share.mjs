// undici's share of an idle process, step by step (issue 14 §3): a bare Node with node:http and
// a loopback server (what the idle agent has anyway), then node:assert (undici's only built-in
// the agent would not load otherwise), then undici's three dispatchers as the forwarder loads
// them, then one request (llhttp's WebAssembly compiled and instantiated, a keep-alive socket),
// then 2 s later (the idle reading: background compiles done). Each step: RSS, RssAnon, RssFile
// (/proc/self/status), V8's heap and code space, external memory, anonymous rwx pages (wasm
// and baseline code, /proc/self/smaps). Run it under the flags to compare, e.g.
//   node bench/memory/undici-share.mjs            (V8's defaults: TurboFan tier-up of the wasm)
//   node --liftoff-only bench/memory/undici-share.mjs
//   UNDICI_NO_WASM_SIMD=1 node --liftoff-only bench/memory/undici-share.mjs
// Loopback only. Prints one JSON line.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import v8 from 'node:v8';

const requireFromForwarder = createRequire(new URL('../../packages/forwarder/package.json', import.meta.url));
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
  return {
    rss: kb('VmRSS'),
    anon: kb('RssAnon'),
    file: kb('RssFile'),
    heapCommitted: Math.round(memory.heapTotal / KiB),
    heapUsed: Math.round(memory.heapUsed / KiB),
    codeSpace: Math.round(spaces.code_space.space_size / KiB),
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
requireFromForwarder('node:assert');
steps.assert = reading();
const { Agent } = requireFromForwarder('undici');
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
process.stdout.write(`${JSON.stringify({ flags: process.execArgv, simd: process.env.UNDICI_NO_WASM_SIMD !== '1', steps })}\n`);
await agent.close();
server.close();
