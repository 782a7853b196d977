import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeTcpPort, freeUdpPort } from '@agentkit/core/testing';
import { startLocalIntake } from '@agentkit/intake';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import type { AgentProcess } from './support/agent-process.js';
import { execEnv, linesAtIntake } from './support/exec-process.js';
import { REPO_ROOT } from './support/run-cli.js';
import { binaryAlone, type BinaryAlone } from './support/binary-alone.js';
import { logLine } from './support/log-lines.js';

// The single executable (dist/agentkit, scripts/build-binary.mjs) run as a container runs it:
// copied alone into an empty folder, with no Node on PATH and no node_modules anywhere near.
// beforeAll builds it once (a few seconds; nothing when it is up to date) from the compiled
// packages that `npm test`'s build step wrote.
const BUILD_TIMEOUT_MS = 180_000;
const CASE_TIMEOUT_MS = 60_000;
const LINES = 1000;
const UDS_SENDER = fileURLToPath(new URL('fixtures/uds-sender.mjs', import.meta.url));

let alone: BinaryAlone;
let dir: string;
let intake: TestIntake;

beforeAll(async () => {
  alone = await binaryAlone('dist/agentkit');
  dir = alone.dir;
  intake = await startTestIntake();
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await intake.close();
  alone.remove();
});

function runBinary(args: readonly string[], env: Record<string, string>, cwd = dir): AgentProcess {
  return alone.run(args, env, cwd);
}

describe('the single executable, alone in an empty folder with no Node on PATH', () => {
  it(
    'runs exec around a bash program that sends 1000 lines through /dev/udp and exits 3: exit code 3, every line at the intake',
    async () => {
      expect(readdirSync(dir)).toEqual(['agentkit']);
      // Builtins only (the PATH has no programs): one datagram per redirection.
      const program = `for ((i = 0; i < ${LINES}; i++)); do printf 'task.lines:1|c|#phase:binary\\n' > "/dev/udp/127.0.0.1/$DD_DOGSTATSD_PORT"; done; exit 3`;
      const run = runBinary(['exec', '--', '/bin/bash', '-c', program], await execEnv(intake, { AGENTKIT_DEBUG_CODE_CACHE: '1' }));
      const { code } = await run.closed;
      expect({ code, stderr: code === 3 ? '' : run.stderr() }).toEqual({ code: 3, stderr: '' });
      expect(linesAtIntake(intake, 'binary')).toBe(LINES);
      // V8 took the code cache recorded at build time (made under exec's V8 flags).
      expect(run.stderr()).toMatch(/^agentkit: code cache accepted$/m);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'passes SIGTERM on to the program and exits with its code, as serverless-init does',
    async () => {
      const program = "process.on('SIGTERM', () => process.exit(7)); setInterval(() => {}, 1000); console.log('ready');";
      const run = runBinary(['exec', '--', process.execPath, '-e', program], await execEnv(intake));
      await run.waitForStdout(/^ready$/m);
      expect(await run.stop('SIGTERM')).toBe(7);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'prints the version of the packages it was built from (no package.json beside it)',
    async () => {
      const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'packages/core/package.json'), 'utf8')) as { version: string }).version;
      const run = runBinary(['version'], { AGENTKIT_DEBUG_CODE_CACHE: '1' });
      expect((await run.closed).code).toBe(0);
      expect(run.stdout()).toContain(`agentkit ${version} (node ${process.version})`);
      expect(run.stderr()).toBe('agentkit: code cache accepted\n');
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'runs every command: --help lists them, and each one answers its own --help',
    async () => {
      const help = runBinary(['--help'], {});
      expect((await help.closed).code).toBe(0);
      const commands = [...help.stdout().matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1] ?? '');
      expect(commands).toEqual(expect.arrayContaining(['run', 'exec', 'intake', 'status', 'config', 'graph', 'symdb', 'version']));
      for (const command of commands.filter((c) => c !== 'version')) {
        const run = runBinary([command, '--help'], {});
        expect({ command, code: (await run.closed).code }).toEqual({ command, code: 0 });
        expect(run.stdout()).toMatch(/Usage: agentkit /);
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'runs the agent, which status reads, and graph prints its components',
    async () => {
      const cmdPort = String(await freeTcpPort());
      const agent = runBinary(['run'], { DD_API_KEY: '0123456789abcdef0123456789abcdef', DD_DD_URL: intake.url, DD_DOGSTATSD_PORT: String(await freeUdpPort()), DD_CMD_PORT: cmdPort });
      try {
        await agent.waitForStderr(/status server listening/);
        const status = runBinary(['status'], { DD_CMD_PORT: cmdPort });
        expect((await status.closed).code).toBe(0);
        expect(status.stdout()).toMatch(/^agentkit \S+ on 127\.0\.0\.1:\d+: pid \d+/);
      } finally {
        expect(await agent.stop()).toBe(0);
      }
      const graph = runBinary(['graph'], {});
      expect((await graph.closed).code).toBe(0);
      expect(graph.stdout()).toMatch(/\d+ components; start order/);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'reads a YAML configuration file (yaml travels inside)',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'agentkit-binary-yaml-')), 'datadog.yaml');
      writeFileSync(file, 'tags: [team:pay]\nlog_level: warn\n');
      const run = runBinary(['config', '--config', file], {});
      expect((await run.closed).code).toBe(0);
      expect(run.stdout()).toMatch(/^log_level +warn +file /m);
      expect(run.stdout()).toMatch(/^tags +\["team:pay"\] +file /m);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "serves the local intake's page and uPlot from inside the executable",
    async () => {
      const run = runBinary(['intake'], { DD_LOCAL_INTAKE_PORT: '0' });
      try {
        const [, url] = await run.waitForStdout(/local intake on (http:\/\/127\.0\.0\.1:\d+)\//);
        for (const [path, text] of [
          ['/', '<html'],
          ['/assets/app.js', ''],
          ['/assets/uPlot.iife.min.js', 'uPlot'],
        ] as const) {
          const response = await fetch(`${url}${path}`);
          expect({ path, status: response.status }).toEqual({ path, status: 200 });
          expect(await response.text()).toContain(text);
        }
      } finally {
        await run.stop();
      }
    },
    CASE_TIMEOUT_MS,
  );
});

describe('the native addons embedded in the single executable', () => {
  const symdbDir = (): string => {
    const src = mkdtempSync(join(tmpdir(), 'agentkit-binary-symdb-'));
    writeFileSync(join(src, 'app.ts'), 'export function handle(request: string): number {\n  const started = Date.now();\n  return started;\n}\n');
    writeFileSync(join(src, 'lib.js'), 'export function helper(a) {\n  return a;\n}\n');
    return src;
  };

  it(
    'symdb parses TypeScript with the embedded oxc-parser',
    async () => {
      const local = await startLocalIntake({ port: 0 });
      try {
        const run = runBinary(['symdb', 'upload', symdbDir(), '--service', 'checkout'], { DD_SYMDB_URL: `${local.url}/symdb/v1/input`, TMPDIR: tmpdir() });
        expect((await run.closed).code).toBe(0);
        expect(run.stdout()).toMatch(/parser oxc\)/);
        expect(local.symdbUploads()).toEqual([expect.objectContaining({ service: 'checkout', scopeCount: 2 })]);
      } finally {
        await local.onStop();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'symdb parses in a parser process that is the executable itself, not in the CLI, and uploads every file',
    async () => {
      const local = await startLocalIntake({ port: 0 });
      try {
        const src = symdbDir();
        for (let i = 0; i < 20; i++) writeFileSync(join(src, `mod${i}.ts`), `export class Handler${i} {\n  handle(n: number): number {\n    return n + ${i};\n  }\n}\n`);
        const run = runBinary(['symdb', 'upload', src, '--service', 'checkout'], { DD_SYMDB_URL: `${local.url}/symdb/v1/input`, DD_LOG_LEVEL: 'debug', TMPDIR: tmpdir() });
        expect((await run.closed).code).toBe(0);
        expect(run.stderr()).not.toMatch(/no parser process could start/);
        expect(logLine<{ parserProcesses: number; files: number }>(run.stderr(), 'symdb: upload summary')).toMatchObject({ parserProcesses: 1, files: 22 });
        // One module scope a file, each holding its class and method.
        expect(local.symdbUploads()).toEqual([expect.objectContaining({ service: 'checkout', fileCount: 22, scopeCount: 22, totalScopeCount: 2 + 2 + 20 * 3 })]);
      } finally {
        await local.onStop();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "exec with symbol_database_upload_enabled uploads the program's folder, parsed in a parser process",
    async () => {
      const local = await startLocalIntake({ port: 0 });
      try {
        const src = symdbDir();
        // 'ready' once its SIGTERM handler is in place: the upload may end before the program has started.
        const program = "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000); console.log('ready');";
        const env = await execEnv(intake, { DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_SYMDB_URL: `${local.url}/symdb/v1/input`, DD_SERVICE: 'checkout', DD_LOG_LEVEL: 'debug', TMPDIR: tmpdir() });
        const run = runBinary(['exec', '--', process.execPath, '-e', program], env, src);
        try {
          await run.waitForStderr(/"msg":"symbol database uploaded"/);
          await run.waitForStdout(/^ready$/m);
        } finally {
          expect(await run.stop('SIGTERM')).toBe(0);
        }
        expect(run.stderr()).not.toMatch(/no parser process could start/);
        expect(logLine<{ parserProcesses: number; files: number }>(run.stderr(), 'symdb: upload summary')).toMatchObject({ parserProcesses: 1, files: 2 });
        expect(local.symdbUploads()).toEqual([expect.objectContaining({ service: 'checkout', scopeCount: 2 })]);
      } finally {
        await local.onStop();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'symdb falls back to its JavaScript-only parser, and says why, when the addon cannot be written out (TMPDIR not a folder)',
    async () => {
      const local = await startLocalIntake({ port: 0 });
      try {
        const notAFolder = join(dir, 'agentkit');
        const run = runBinary(['symdb', 'upload', symdbDir(), '--service', 'checkout'], { DD_SYMDB_URL: `${local.url}/symdb/v1/input`, TMPDIR: notAFolder });
        expect((await run.closed).code).toBe(0);
        expect(run.stdout()).toMatch(/1 need oxc-parser.*parser acorn\)/);
        expect(run.stderr()).toMatch(/oxc-parser is unavailable.*set TMPDIR to a writable folder|set TMPDIR to a writable folder.*oxc-parser is unavailable/);
        expect(local.symdbUploads()).toEqual([expect.objectContaining({ service: 'checkout', scopeCount: 1 })]);
      } finally {
        await local.onStop();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'listens on dogstatsd_socket with the embedded unix-dgram',
    async () => {
      const socketDir = mkdtempSync(join(tmpdir(), 'agentkit-binary-uds-'));
      const socket = join(socketDir, 'dsd.socket');
      // The program is Node by its full path (the PATH still has none), sending with the
      // repository's unix-dgram: the executable's own copy is the one under test.
      const run = runBinary(
        ['exec', '--', process.execPath, UDS_SENDER, socket, '100', 'task.lines:1|c|#phase:uds'],
        await execEnv(intake, { DD_DOGSTATSD_SOCKET: socket, DD_DOGSTATSD_PORT: '0', TMPDIR: tmpdir() }),
      );
      const { code } = await run.closed;
      expect({ code, stderr: code === 0 ? '' : run.stderr() }).toEqual({ code: 0, stderr: '' });
      expect(linesAtIntake(intake, 'uds')).toBe(100);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'names dogstatsd_socket when unix-dgram cannot be loaded, as the npm CLI does without the addon',
    async () => {
      const socket = join(mkdtempSync(join(tmpdir(), 'agentkit-binary-uds-')), 'dsd.socket');
      const run = runBinary(['run'], { DD_DOGSTATSD_SOCKET: socket, DD_DOGSTATSD_PORT: '0', DD_CMD_PORT: '-1', DD_LOCAL_INTAKE_PORT: '0', TMPDIR: join(dir, 'agentkit') });
      expect((await run.closed).code).toBe(1);
      expect(run.stderr()).toMatch(/dogstatsd_socket is set but the optional \\"unix-dgram\\" addon is not available \(the native addon unix_dgram\.node embedded in this executable cannot be loaded/);
    },
    CASE_TIMEOUT_MS,
  );
});
