import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { startAgentProcess } from './support/agent-process.js';
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
  const preload = writeRecorder(out);
  const run = startExec(['--', process.execPath, '-e', 'process.exit(3)'], await execEnv(intake, { NODE_OPTIONS: `--require ${preload}` }));
  const { code } = await run.closed;
  return { code, ...(JSON.parse(readFileSync(out, 'utf8')) as { builtins: string[]; atSpawn: string[]; wasmModules: string[] }) };
}

/** Writes the preload that records into `out` (JSON, at the exit of the process whose argv[1] is agentkit.js); returns its path. */
function writeRecorder(out: string): string {
  const preload = join(dir, 'record-builtins.cjs');
  // Preloaded into the wrapper (and its program, which has no agentkit.js in its argv): the
  // names of Node's public modules loaded so far, from process.moduleLoadList, at the wrapper's
  // first child_process.spawn (its program's start; node:child_process is loaded before it
  // anyway) and at its exit, and the bytes of every WebAssembly.Module made (none: the HTTP
  // client is node:http, whose parser is Node's own).
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
  // The asynchronous ways in too (their sources may be a Response: named, not copied).
  for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = function (source, ...rest) {
      if (!(source instanceof WebAssembly.Module)) wasmModules.push(ArrayBuffer.isView(source) || source instanceof ArrayBuffer ? Buffer.from(source).toString('base64') : name);
      return original.call(this, source, ...rest);
    };
  }
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
  return preload;
}

describe('agentkit exec, what it loads of Node', () => {
  it(
    'sends to a plain-HTTP intake without loading node:http2, node:tls, node:crypto, node:worker_threads, node:assert, node:dns/promises or node:module (each loads at its first use)',
    async () => {
      const { code, builtins } = await execBuiltins();
      expect(code).toBe(3);
      // The wrapper did run its pipeline: UDP bound, and the enhanced metrics sent.
      expect(builtins).toContain('dgram');
      expect(intake.sketches().some((s) => s.metric === 'datadog.serverless_agent.enhanced.cold_start')).toBe(true);
      expect(builtins).not.toContain('http2');
      expect(builtins).not.toContain('tls');
      expect(builtins).not.toContain('crypto');
      // pino's tools and thread-stream take it when they load (scripts/esbuild-plugins.mjs,
      // pinoLazyRequires); the logger's synchronous destination never needs it.
      expect(builtins).not.toContain('worker_threads');
      // Nothing on the send path takes node:assert (sonic-boom's check takes it at its first failure).
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
    'compiles no WebAssembly at all to send: the HTTP client is node:http, whose parser is Node’s own',
    async () => {
      const { code, wasmModules } = await execBuiltins();
      expect(code).toBe(3);
      expect(intake.sketches().some((s) => s.metric === 'datadog.serverless_agent.enhanced.cold_start')).toBe(true);
      expect(wasmModules).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit run, what its sends compile', () => {
  it(
    'compiles no WebAssembly: the API key check, the host metadata and the drain’s flush go out on node:http',
    async () => {
      const out = join(dir, 'run-builtins.json');
      const preload = writeRecorder(out);
      const agent = startAgentProcess(['run'], { ...(await execEnv(intake)), DD_HOSTNAME: 'wasm-check-host', NODE_OPTIONS: `--require ${preload}` });
      try {
        await intake.waitFor(() => intake.requests.some((r) => r.path === '/api/v1/validate') && intake.requests.some((r) => r.method === 'POST'), 'the key check and a first payload', { timeoutMs: 30_000 });
      } finally {
        await agent.stop('SIGTERM');
      }
      const { wasmModules } = JSON.parse(readFileSync(out, 'utf8')) as { wasmModules: string[] };
      expect(wasmModules).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );
});
