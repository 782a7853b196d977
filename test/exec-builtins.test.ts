import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Runs `exec -- node -e "process.exit(3)"`; resolves to its exit code and the public built-ins the wrapper had loaded when it exited. */
async function execBuiltins(): Promise<{ code: number | null; builtins: string[] }> {
  const out = join(dir, 'builtins.txt');
  const preload = join(dir, 'record-builtins.cjs');
  // Preloaded into the wrapper (and its program, which has no agentkit.js in its argv): at exit,
  // the names of Node's public modules loaded so far, from process.moduleLoadList.
  writeFileSync(
    preload,
    `process.on('exit', () => {
  if (!/agentkit\\.js$/.test(process.argv[1] ?? '')) return;
  const names = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => m.slice('NativeModule '.length));
  require('node:fs').writeFileSync(${JSON.stringify(out)}, names.join('\\n'));
});
`,
  );
  const run = startExec(['--', process.execPath, '-e', 'process.exit(3)'], await execEnv(intake, { NODE_OPTIONS: `--require ${preload}` }));
  const { code } = await run.closed;
  return { code, builtins: readFileSync(out, 'utf8').split('\n') };
}

describe('agentkit exec, what it loads of Node', () => {
  it(
    'sends to a plain-HTTP intake without loading node:http2, node:tls, node:crypto, node:worker_threads, node:dns/promises or node:module (each loads at its first use)',
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
      // With `bind_host` an IP or `localhost` (the default), no listener resolves a name
      // (packages/dogstatsd, listen-address.ts), so node:dns/promises is never needed.
      expect(builtins).not.toContain('dns/promises');
      // node:module brings Node's ES module loader: the bin, pino's transport, the config's YAML
      // loader, the pretty printer and the Unix socket listener take `createRequire` elsewhere or at first use.
      expect(builtins).not.toContain('module');
    },
    CASE_TIMEOUT_MS,
  );
});
