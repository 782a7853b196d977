import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { execEnv, linesAtIntake, startExec } from './support/exec-process.js';
import { logLine } from './support/log-lines.js';
import { REPO_ROOT } from './support/run-cli.js';

// What a stack trace of the built CLI is worth now that its one file is compact (whitespace and
// syntax minified, names kept: scripts/esbuild-plugins.mjs, ONE_FILE_SOURCE): the trace of a
// real logged error names our functions, and its positions in the one file lead to the
// TypeScript lines, through the source map beside the bundle, offline
// (scripts/map-stack-trace.mjs) or by Node itself under NODE_OPTIONS=--enable-source-maps.
// The error: an invalid DD_DOGSTATSD_PORT under `exec`, which logs the ConfigError (with its
// stack, as pino logs every `err`) and runs the program without the pipeline.

const CASE_TIMEOUT_MS = 60_000;
const ONE_FILE = join(REPO_ROOT, 'packages/agent/dist/one-file/agentkit.cjs');
const INVALID_CONFIG_MSG = 'invalid configuration, the program runs WITHOUT the metrics pipeline (its metrics are lost): dogstatsd_port: expected an integer of at most 65535, got "abc" (from env DD_DOGSTATSD_PORT)';
const LINES = 50;
const PROGRAM = `const s = require('node:dgram').createSocket('udp4'); let n = 0;
const next = () => (n++ < ${LINES} ? s.send('task.lines:1|c|#phase:stacktrace', Number(process.env.DD_DOGSTATSD_PORT), '127.0.0.1', next) : (s.close(), process.exit(3)));
next();`;

interface Frame {
  readonly fn: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake();
});

afterAll(async () => {
  await intake.close();
});

/** The frames of `stack` that name a function and a position (`at fn (file:line:column)`). */
function framesOf(stack: string): Frame[] {
  return [...stack.matchAll(/^ {4}at (.+?) \((.+):(\d+):(\d+)\)$/gm)].map(([, fn, file, line, column]) => ({ fn: fn!, file: file!, line: Number(line), column: Number(column) }));
}

/** The frame of function `fn` (as the trace names it: `Class.method` for a method); throws when there is none. */
function frameOf(frames: readonly Frame[], fn: string): Frame {
  const frame = frames.find((f) => f.fn === fn);
  if (frame === undefined) throw new Error(`no frame of ${fn} in ${JSON.stringify(frames, null, 1)}`);
  return frame;
}

/** Line `line` (1-based) of the repository's file `file` (absolute). */
const sourceLine = (file: string, line: number): string => readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';

/** `exec -- node -e 0` with an invalid DD_DOGSTATSD_PORT and `extra`: the logged error's stack, and the run's stderr. */
async function invalidPortStack(extra: Record<string, string>): Promise<{ stack: string; stderr: string; code: number | null }> {
  const run = startExec(['--', process.execPath, '-e', '0'], await execEnv(intake, { DD_DOGSTATSD_PORT: 'abc', AGENTKIT_DEBUG_CODE_CACHE: '1', ...extra }));
  const { code } = await run.closed;
  const line = logLine<{ err: { stack: string } }>(run.stderr(), INVALID_CONFIG_MSG);
  return { stack: line.err.stack, stderr: run.stderr(), code };
}

describe('a stack trace of the built CLI (compact one file)', () => {
  it(
    'names our functions and classes, at positions in the one file that its source map leads to the TypeScript lines',
    async () => {
      const { stack, stderr, code } = await invalidPortStack({});
      expect(code).toBe(0);
      expect(stderr).toMatch(/^agentkit: code cache accepted$/m);
      const frames = framesOf(stack);
      const map = new SourceMap(JSON.parse(readFileSync(`${ONE_FILE}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
      const toSource = (frame: Frame): { file: string; text: string } => {
        expect(frame.file).toBe(ONE_FILE);
        const entry = map.findEntry(frame.line - 1, frame.column - 1) as { originalSource: string; originalLine: number };
        const file = resolve(join(REPO_ROOT, 'packages/agent/dist/one-file'), entry.originalSource);
        return { file: relative(REPO_ROOT, file), text: sourceLine(file, entry.originalLine + 1) };
      };
      expect(toSource(frameOf(frames, 'loadConfig'))).toEqual({ file: 'packages/config/src/load-config.ts', text: expect.stringContaining('throw ConfigError.invalidValues(problems)') });
      expect(toSource(frameOf(frames, 'loadExecSetup'))).toEqual({ file: 'packages/agent/src/exec/exec-setup.ts', text: expect.stringContaining('loadAgentConfig(') });
      expect(toSource(frameOf(frames, 'ExecSession.run'))).toEqual({ file: 'packages/agent/src/exec/exec-runner.ts', text: expect.stringContaining('loadExecSetup(') });
      expect(toSource(frameOf(frames, 'main'))).toEqual({ file: 'packages/agent/src/cli.ts', text: expect.stringContaining('command.run(args, io)') });
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'with NODE_OPTIONS=--enable-source-maps, shows the TypeScript files and lines itself, and scripts/map-stack-trace.mjs maps a logged trace to the same',
    async () => {
      const mapped = await invalidPortStack({ NODE_OPTIONS: '--enable-source-maps' });
      expect(mapped.code).toBe(0);
      expect(mapped.stderr).toMatch(/^agentkit: code cache not used \(source maps on\)$/m);
      const frames = framesOf(mapped.stack);
      const loadConfig = frameOf(frames, 'loadConfig');
      expect(relative(REPO_ROOT, loadConfig.file)).toBe('packages/config/src/load-config.ts');
      expect(sourceLine(loadConfig.file, loadConfig.line)).toContain('throw ConfigError.invalidValues(problems)');
      expect(relative(REPO_ROOT, frameOf(frames, 'ExecSession.run').file)).toBe('packages/agent/src/exec/exec-runner.ts');

      // The same error, logged by the cached one file, mapped afterwards: every frame at the place Node put it.
      const logged = await invalidPortStack({});
      const mapper = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/map-stack-trace.mjs')], { cwd: REPO_ROOT, input: logged.stack, encoding: 'utf8' });
      expect({ status: mapper.status, stderr: mapper.stderr }).toEqual({ status: 0, stderr: '' });
      const offline = mapper.stdout;
      const place = (f: Frame): string => `${relative(REPO_ROOT, resolve(REPO_ROOT, f.file))}:${f.line}:${f.column}`;
      expect(framesOf(offline).map(place)).toEqual(frames.map(place));
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'with NODE_OPTIONS=--enable-source-maps, exec still runs its program: exit code 3, every line at the intake',
    async () => {
      const before = linesAtIntake(intake, 'stacktrace');
      const run = startExec(['--', process.execPath, '-e', PROGRAM], await execEnv(intake, { NODE_OPTIONS: '--enable-source-maps', AGENTKIT_DEBUG_CODE_CACHE: '1' }));
      const { code } = await run.closed;
      expect({ code, lines: linesAtIntake(intake, 'stacktrace') - before }).toEqual({ code: 3, lines: LINES });
      expect(run.stderr()).toMatch(/^agentkit: code cache not used \(source maps on\)$/m);
    },
    CASE_TIMEOUT_MS,
  );
});
