import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { execEnv, startExec } from './support/exec-process.js';

// What the built CLI's `agentkit exec` loads of Node's own modules (run `npm run build` first).
// Each one it needs costs every container start CPU (docs/benchmarks.md, "Issue 17 §1, the
// wrapper's whole run"); these cases hold the ones it does not need to their first use.

const CASE_TIMEOUT_MS = 60_000;

let intake: TestIntake;
let dir: string;

beforeEach(async () => {
  intake = await startTestIntake();
  dir = mkdtempSync(join(tmpdir(), 'agentkit-builtins-'));
});

afterEach(async () => {
  await intake.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `exec -- node -e "process.exit(3)"`; resolves to its exit code, the public built-ins the
 * wrapper had loaded when it started its program (`atSpawn`) and when it exited, and the
 * WebAssembly modules it compiled (their bytes, base64).
 */
async function execBuiltins(): Promise<{ code: number | null; builtins: string[]; atSpawn: string[]; wasmModules: string[] }> {
  const out = join(dir, 'builtins.json');
  const preload = join(dir, 'record-builtins.cjs');
  // Preloaded into the wrapper (and its program, which has no agentkit.js in its argv): the
  // names of Node's public modules loaded so far, from process.moduleLoadList, at the wrapper's
  // first child_process.spawn (its program's start; node:child_process is loaded before it
  // anyway) and at its exit, and the bytes of every WebAssembly.Module made (undici's llhttp).
  writeFileSync(
    preload,
    `if (/agentkit\\.js$/.test(process.argv[1] ?? '')) {
  const publicBuiltins = () => process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => m.slice('NativeModule '.length));
  const wasmModules = [];
  const Module = WebAssembly.Module;
  WebAssembly.Module = function (bytes) {
    wasmModules.push(Buffer.from(bytes).toString('base64'));
    return new Module(bytes);
  };
  const childProcess = require('node:child_process');
  const spawn = childProcess.spawn;
  let atSpawn;
  childProcess.spawn = function (...args) {
    atSpawn ??= publicBuiltins();
    return spawn.apply(this, args);
  };
  process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ builtins: publicBuiltins(), atSpawn: atSpawn ?? [], wasmModules })));
}
`,
  );
  const run = startExec(['--', process.execPath, '-e', 'process.exit(3)'], await execEnv(intake, { NODE_OPTIONS: `--require ${preload}` }));
  const { code } = await run.closed;
  return { code, ...(JSON.parse(readFileSync(out, 'utf8')) as { builtins: string[]; atSpawn: string[]; wasmModules: string[] }) };
}

/** undici's llhttp, compiled without SIMD, as the forwarder's undici holds it (base64). */
function llhttpWithoutSimd(): string {
  const requireFromForwarder = createRequire(new URL('../packages/forwarder/package.json', import.meta.url));
  return (requireFromForwarder('undici/lib/llhttp/llhttp-wasm.js') as Buffer).toString('base64');
}

describe('agentkit exec, what it loads of Node', () => {
  it(
    'sends to a plain-HTTP intake without loading node:http2, node:tls, node:crypto, node:worker_threads, node:assert, node:dns/promises or node:module (each loads at its first use)',
    async () => {
      const { code, builtins } = await execBuiltins();
      expect(code).toBe(3);
      // The wrapper did run its pipeline: UDP bound, and the enhanced metrics sent through undici.
      expect(builtins).toContain('dgram');
      expect(intake.sketches().some((s) => s.metric === 'datadog.serverless_agent.enhanced.cold_start')).toBe(true);
      expect(builtins).not.toContain('http2');
      expect(builtins).not.toContain('tls');
      expect(builtins).not.toContain('crypto');
      // pino's tools and thread-stream take it when they load (scripts/esbuild-plugins.mjs,
      // pinoLazyRequires); the logger's synchronous destination never needs it.
      expect(builtins).not.toContain('worker_threads');
      // undici's checks take node:assert at the first that fails (lazyAssert), none did here.
      expect(builtins).not.toContain('assert');
      // With `bind_host` an IP or `localhost` (the default), no listener resolves a name
      // (packages/dogstatsd, listen-address.ts), so node:dns/promises is never needed.
      expect(builtins).not.toContain('dns/promises');
      // node:module brings Node's ES module loader: the bin, pino's transport, the config's YAML
      // loader, the pretty printer and the Unix socket listener take `createRequire` elsewhere or at first use.
      expect(builtins).not.toContain('module');
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'starts its program before loading node:http: the trace agent port is held by a node:net server, the receiver loads node:http beside the program',
    async () => {
      const { code, builtins, atSpawn } = await execBuiltins();
      expect(code).toBe(3);
      // Both listeners were bound before the spawn: node:dgram for UDP, node:net for the trace
      // agent port (packages/apm, prebound-tcp.ts: a TCP server holding connections unread).
      expect(atSpawn).toEqual(expect.arrayContaining(['dgram', 'net', 'child_process']));
      expect(atSpawn).not.toContain('http');
      // The receiver took the port over with node:http, after the spawn.
      expect(builtins).toContain('http');
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "compiles one WebAssembly module to send, undici's llhttp built without SIMD (the one the bundle keeps)",
    async () => {
      const { code, wasmModules } = await execBuiltins();
      expect(code).toBe(3);
      expect(intake.sketches().some((s) => s.metric === 'datadog.serverless_agent.enhanced.cold_start')).toBe(true);
      expect(wasmModules).toEqual([llhttpWithoutSimd()]);
    },
    CASE_TIMEOUT_MS,
  );
});
