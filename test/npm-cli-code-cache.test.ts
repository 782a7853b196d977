import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { watchProcess, type AgentProcess } from './support/agent-process.js';
import { execEnv, linesAtIntake, startExec } from './support/exec-process.js';
import { REPO_ROOT } from './support/run-cli.js';

// The npm bin (packages/agent/bin/agentkit.js) after `npm run build`: it runs the one-file
// CommonJS bundle (packages/agent/dist/one-file/) with the V8 code cache the build recorded for
// the command, and falls back to the ES module chunks when the one file is older than a later
// build, and to compiling from source when its cache is older than it or V8 refuses it.
// AGENTKIT_DEBUG_CODE_CACHE=1 makes the bin say which on stderr.

const CASE_TIMEOUT_MS = 60_000;
const LINES = 200;
const ONE_FILE = join(REPO_ROOT, 'packages/agent/dist/one-file');
const ESM_ENTRY = join(REPO_ROOT, 'packages/agent/dist/bundle/cli.js');
// The wrapped program: LINES counter increments, one datagram each, then exit code 3.
const PROGRAM = `const s = require('node:dgram').createSocket('udp4'); let n = 0;
const next = () => (n++ < ${LINES} ? s.send('task.lines:1|c|#phase:npmcache', Number(process.env.DD_DOGSTATSD_PORT), '127.0.0.1', next) : (s.close(), process.exit(3)));
next();`;

let intake: TestIntake;
let tree: string;

beforeAll(async () => {
  intake = await startTestIntake();
  tree = mkdtempSync(join(tmpdir(), 'agentkit-npm-cache-'));
});

afterAll(async () => {
  await intake.close();
  rmSync(tree, { recursive: true, force: true });
});

/** `agentkit exec` around {@link PROGRAM}, by the bin at `bin` (the repository's by default). */
async function execLines(extra: Record<string, string>, bin?: string): Promise<{ code: number | null; stderr: string; lines: number }> {
  const before = linesAtIntake(intake, 'npmcache');
  const env = await execEnv(intake, { AGENTKIT_DEBUG_CODE_CACHE: '1', ...extra });
  const run = bin === undefined ? startExec(['--', process.execPath, '-e', PROGRAM], env) : runBin(bin, ['exec', '--', process.execPath, '-e', PROGRAM], env);
  const { code } = await run.closed;
  return { code, stderr: run.stderr(), lines: linesAtIntake(intake, 'npmcache') - before };
}

function runBin(bin: string, args: readonly string[], env: Record<string, string>): AgentProcess {
  return watchProcess(spawn(process.execPath, [bin, ...args], { cwd: tree, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * A copy of the installed layout in `tree`: the agent package's bin and one file copied (so
 * their times can be set), its ES module chunks, the other packages and node_modules linked.
 * Returns the copied bin.
 */
function copyInstall(): string {
  const agent = join(tree, 'packages/agent');
  mkdirSync(join(agent, 'bin'), { recursive: true });
  for (const name of ['agentkit.js', 'cached-bundle.cjs', 'package.json']) copyFileSync(join(REPO_ROOT, 'packages/agent/bin', name), join(agent, 'bin', name));
  mkdirSync(join(agent, 'dist/one-file'), { recursive: true });
  for (const name of readdirSync(ONE_FILE)) copyFileSync(join(ONE_FILE, name), join(agent, 'dist/one-file', name));
  symlinkSync(join(REPO_ROOT, 'packages/agent/dist/bundle'), join(agent, 'dist/bundle'));
  for (const name of readdirSync(join(REPO_ROOT, 'packages'))) if (name !== 'agent') symlinkSync(join(REPO_ROOT, 'packages', name), join(tree, 'packages', name));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(tree, 'node_modules'));
  return join(agent, 'bin/agentkit.js');
}

/** Sets the access and modification times of `file` (a real file of the tree, never a link) to `ms`. */
const setTime = (file: string, ms: number): void => utimesSync(file, ms / 1000, ms / 1000);

describe('the npm bin, after npm run build', () => {
  it(
    'runs exec through the one file with the exec code cache (V8 accepts it): exit code 3, every line at the intake',
    async () => {
      expect(statSync(join(ONE_FILE, 'agentkit-exec.cache')).mtimeMs).toBeGreaterThanOrEqual(statSync(join(ONE_FILE, 'agentkit.cjs')).mtimeMs);
      const run = await execLines({});
      expect({ code: run.code, lines: run.lines }).toEqual({ code: 3, lines: LINES });
      expect(run.stderr).toMatch(/^agentkit: code cache accepted$/m);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'runs the other commands with the cache recorded after --help',
    async () => {
      const run = runBin(join(REPO_ROOT, 'packages/agent/bin/agentkit.js'), ['version'], { AGENTKIT_DEBUG_CODE_CACHE: '1' });
      expect((await run.closed).code).toBe(0);
      expect(run.stdout()).toMatch(/^agentkit \d+\.\d+\.\d+ \(node v/);
      expect(run.stderr()).toBe('agentkit: code cache accepted\n');
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'still runs exec correctly when V8 refuses the cache (a V8 flag in NODE_OPTIONS)',
    async () => {
      const run = await execLines({ NODE_OPTIONS: '--max-old-space-size=300' });
      expect({ code: run.code, lines: run.lines }).toEqual({ code: 3, lines: LINES });
      expect(run.stderr).toMatch(/^agentkit: code cache rejected$/m);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('the npm bin, installed, when the one file is not fresh', () => {
  let bin: string;
  let bundleBuiltAtMs: number;

  beforeAll(() => {
    bin = copyInstall();
    bundleBuiltAtMs = statSync(join(tree, 'packages/agent/dist/one-file/agentkit.cjs')).mtimeMs;
  });

  it(
    'does not offer V8 a cache older than the bundle: compiles from source, exit code 3, every line at the intake',
    async () => {
      setTime(join(tree, 'packages/agent/dist/one-file/agentkit-exec.cache'), bundleBuiltAtMs - 10_000);
      const run = await execLines({}, bin);
      expect({ code: run.code, lines: run.lines }).toEqual({ code: 3, lines: LINES });
      expect(run.stderr).toMatch(/^agentkit: code cache missing$/m);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'loads the ES module chunks when a package was built after the one file: exit code 3, every line at the intake',
    async () => {
      // A package built after the one file and no later than the chunks (one stat each: the bin's rule).
      const esmBuiltAtMs = statSync(ESM_ENTRY).mtimeMs;
      setTime(join(tree, 'packages/agent/dist/one-file/agentkit.cjs'), esmBuiltAtMs - 10_000);
      const later = join(tree, 'packages/built-later/dist');
      mkdirSync(later, { recursive: true });
      writeFileSync(join(later, '.tsbuildinfo'), '{}');
      setTime(join(later, '.tsbuildinfo'), esmBuiltAtMs);
      const run = await execLines({}, bin);
      expect({ code: run.code, lines: run.lines }).toEqual({ code: 3, lines: LINES });
      expect(run.stderr).toMatch(/^agentkit: no fresh one-file bundle: loading bundle\/cli\.js$/m);
      expect(run.stderr).not.toMatch(/code cache/);
    },
    CASE_TIMEOUT_MS,
  );
});
