// Where an idle `agentkit run`'s memory is, by mapping (issue 14 §3): preloaded,
//   DD_DOGSTATSD_PORT=0 DD_APM_RECEIVER_PORT=0 DD_LOCAL_INTAKE_PORT=0 DD_CMD_PORT=-1 \
//     node --import ./bench/memory/idle-probe.mjs packages/agent/bin/agentkit.js run
// prints one JSON line on stderr (`idle-probe {…}`) IDLE_PROBE_AT_MS (4000) after start: VmRSS,
// VmHWM, RssAnon, RssFile (KiB), V8's heap spaces (committed / used, KiB), heap and external
// memory, the RSS of each kind of mapping (/proc/self/smaps: Node's binary by permission,
// anonymous by permission, shared libraries by name), CPU so far (ms), the WebAssembly modules
// compiled (when, how large, and what the compile and the instance added to RssAnon / RssFile),
// and with IDLE_PROBE_BUILTINS=1 the built-ins loaded. Stop the agent after it.
// For measurement only, IDLE_PROBE_WASM takes WebAssembly away from the agent: `none` makes
// `new WebAssembly.Module` throw; `empty` also compiles an empty module first (V8's wasm engine
// started); `compiled` also compiles undici's llhttp 0.5 s after start, never instantiated nor
// run. These were for the forwarder on undici (issue 14 §3, undici's share); the agent compiles
// no WebAssembly now, and `compiled` needs a checkout that still has undici (ef7fea1 or before).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import v8 from 'node:v8';

const AT_MS = Number(process.env.IDLE_PROBE_AT_MS ?? 4000);
const WASM = process.env.IDLE_PROBE_WASM ?? 'as-is';
const KiB = 1024;

/** RssAnon and RssFile now, KiB. */
function rssAnonFile() {
  const status = readFileSync('/proc/self/status', 'utf8');
  return ['RssAnon', 'RssFile'].map((key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]));
}

const modules = [];
const Module = WebAssembly.Module;
const Instance = WebAssembly.Instance;
if (WASM === 'none' || WASM === 'empty' || WASM === 'compiled') {
  if (WASM === 'empty') new Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  if (WASM === 'compiled') {
    const llhttp = createRequire(new URL('../../packages/forwarder/package.json', import.meta.url))('undici/lib/llhttp/llhttp-wasm.js');
    setTimeout(() => new Module(llhttp), 500);
  }
  WebAssembly.Module = function () {
    throw new Error('idle-probe: no WebAssembly (IDLE_PROBE_WASM)');
  };
} else {
  WebAssembly.Module = function (bytes) {
    const before = rssAnonFile();
    const made = new Module(bytes);
    const after = rssAnonFile();
    modules.push({ atMs: Math.round(performance.now()), bytes: bytes.byteLength, compileAnonKiB: after[0] - before[0], compileFileKiB: after[1] - before[1] });
    return made;
  };
  WebAssembly.Module.prototype = Module.prototype;
  Object.assign(WebAssembly.Module, { imports: Module.imports, exports: Module.exports, customSections: Module.customSections });
  WebAssembly.Instance = function (module, imports) {
    const before = rssAnonFile();
    const made = new Instance(module, imports);
    const after = rssAnonFile();
    Object.assign(modules.at(-1) ?? {}, { instanceAnonKiB: after[0] - before[0], instanceFileKiB: after[1] - before[1], memoryBytes: made.exports.memory?.buffer.byteLength });
    return made;
  };
  WebAssembly.Instance.prototype = Instance.prototype;
}

/** RSS (KiB) of each kind of mapping. */
function mappings() {
  const rss = {};
  let kind;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ (\S{4}) \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header !== null) {
      const [, perms, name] = header;
      if (name === '' || name.startsWith('[')) kind = `${name || '[anon]'} ${perms}`;
      else kind = name === process.execPath ? `node ${perms}` : name.split('/').pop();
      rss[kind] ??= 0;
    } else if (kind !== undefined && line.startsWith('Rss:')) rss[kind] += Number(/(\d+)/.exec(line)[1]);
  }
  return Object.fromEntries(Object.entries(rss).filter(([, kb]) => kb > 0).sort((a, b) => b[1] - a[1]));
}

setTimeout(() => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const reading = {
    wasm: WASM,
    rss: kb('VmRSS'),
    hwm: kb('VmHWM'),
    anon: kb('RssAnon'),
    file: kb('RssFile'),
    heapCommitted: Math.round(memory.heapTotal / KiB),
    heapUsed: Math.round(memory.heapUsed / KiB),
    external: Math.round(memory.external / KiB),
    spaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, [Math.round(s.space_size / KiB), Math.round(s.space_used_size / KiB)]])),
    mappings: mappings(),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    wasmModules: modules,
    builtins: process.env.IDLE_PROBE_BUILTINS === '1' ? process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)) : undefined,
  };
  process.stderr.write(`idle-probe ${JSON.stringify(reading)}\n`);
}, AT_MS).unref();
