import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { execEnv } from './support/exec-process.js';
import { REPO_ROOT } from './support/run-cli.js';

// The wrapped program's logs, end to end: the built CLI (`npm run build` first) runs a real
// task (test/fixtures/log-task.mjs) with logs_enabled; its stdout and stderr go through the
// wrapper's pipes, back out unchanged, and to a real logs intake (@agentkit/intake).
const CASE_TIMEOUT_MS = 60_000;
const BIN = fileURLToPath(new URL('../packages/agent/bin/agentkit.js', import.meta.url));
const LOG_TASK = fileURLToPath(new URL('./fixtures/log-task.mjs', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/**
 * `agentkit exec -- node log-task.mjs <args>` with raw output (bytes, not text), `onStart` once
 * spawned; with `readStdoutWhen`, the wrapper's stdout is not read until it holds (a stuck reader).
 */
function execLogTask(args: readonly string[], env: Record<string, string>, onStart?: (pid: number) => void, readStdoutWhen?: () => boolean): Promise<Run> {
  const child = spawn(process.execPath, [BIN, 'exec', '--', 'node', LOG_TASK, ...args], { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  if (readStdoutWhen !== undefined) {
    child.stdout.pause();
    const poll = setInterval(() => {
      if (!readStdoutWhen()) return;
      clearInterval(poll);
      child.stdout.resume();
    }, 20);
  }
  if (child.pid !== undefined) onStart?.(child.pid);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
  });
}

/** The environment of an exec with logs on, shipping logs and metrics to `intake`; the wrapper itself logs nothing (its stderr is the task's). */
async function logsEnv(intake: TestIntake, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return execEnv(intake, { DD_LOGS_ENABLED: 'true', DD_LOGS_CONFIG_LOGS_DD_URL: intake.url, DD_LOG_LEVEL: 'off', DD_SERVICE: 'log-task', DD_TAGS: 'team:logs', ...extra });
}

/** As the task writes line i (test/fixtures/log-task.mjs `lineText`). */
function lineText(prefix: string, i: number): string {
  return `${prefix} ${i} ${'x'.repeat(i % 37)}\n`;
}

function expected(prefix: string, n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) text += lineText(prefix, i);
  return text;
}

let intake: TestIntake;
beforeEach(async () => {
  intake = await startTestIntake();
});
afterEach(async () => {
  await intake.close();
});

describe('agentkit exec with logs_enabled', () => {
  it(
    'holds the program back while the logs intake is slow (one payload in flight, one waiting): every line still arrives, none waits for the stop',
    async () => {
      const slow = await startTestIntake({ sequences: { logs: Array.from({ length: 40 }, () => ({ delayMs: 100 })) } });
      try {
        const env = await logsEnv(slow, { DD_LOG_LEVEL: 'debug', DD_LOGS_CONFIG_BATCH_MAX_CONCURRENT_SEND: '1', DD_LOGS_CONFIG_PAYLOAD_CHANNEL_SIZE: '1' });
        const run = await execLogTask(['lines', '5000', '20000'], env);
        expect(run.code).toBe(0);
        expect(run.stdout.toString('latin1')).toBe(expected('out', 5000) + expected('burst', 20000));
        expect(new Set(slow.logs().map((l) => l.message)).size).toBe(30_000);
        const debug = run.stderr.toString('utf8');
        const sourceLine = debug.split('\n').find((l) => l.includes('"msg":"log source stopped"'));
        const source = JSON.parse(sourceLine ?? '{}') as Record<string, number>;
        // The source paused the program for the logs pipeline, and never had to read on regardless.
        expect(source['paused.logs']).toBeGreaterThan(0);
        expect(source['stalled.logs']).toBe(0);
        expect(debug).toMatch(/"msg":"log sender stopped: every log was sent"/);
      } finally {
        await slow.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'sends every line exactly once (5,000 + 5,000, then a 20,000-line burst and an immediate exit), and shows stdout and stderr byte for byte',
    async () => {
      const run = await execLogTask(['lines', '5000', '20000'], await logsEnv(intake));
      expect(run.code).toBe(0);
      expect(run.stdout.toString('latin1')).toBe(expected('out', 5000) + expected('burst', 20000));
      expect(run.stderr.toString('latin1')).toBe(expected('err', 5000));

      const logs = intake.logs();
      const messages = logs.map((l) => l.message);
      expect(messages.length).toBe(30_000);
      const wanted = [...(expected('out', 5000) + expected('burst', 20000) + expected('err', 5000)).split('\n').filter((l) => l !== '')];
      expect(new Set(messages).size).toBe(30_000);
      expect([...messages].sort()).toEqual(wanted.sort());
      // stdout is info, stderr error; the fields serverless-init puts on each log.
      const first = logs.find((l) => l.message === 'err 0 ');
      expect(first).toMatchObject({ status: 'error', service: 'log-task', ddsource: 'local', hostname: '' });
      expect(String(first?.ddtags).split(',')).toEqual(expect.arrayContaining(['team:logs', 'service:log-task', 'local:true']));
      expect(typeof first?.timestamp).toBe('number');
      expect(logs.find((l) => l.message === 'burst 19999 ' + 'x'.repeat(19999 % 37))?.status).toBe('info');
      // Within the intake's limits: at most 1,000 logs per payload, gzip.
      for (const request of intake.payloads('logs')) {
        expect(request.decoded?.kind === 'logs' && request.decoded.payload.length).toBeLessThanOrEqual(1000);
        expect(request.headers['content-encoding']).toBe('gzip');
        expect(request.headers['dd-api-key']).toBe('0123456789abcdef0123456789abcdef');
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'a task killed by SIGTERM mid-output: what it wrote before it died reaches the intake, and the wrapper exits 143',
    async () => {
      let wrapperPid = 0;
      const running = execLogTask(['forever'], await logsEnv(intake), (pid) => (wrapperPid = pid));
      await intake.waitFor(() => intake.logs().length >= 20, '20 logs', { timeoutMs: 20_000 });
      process.kill(wrapperPid, 'SIGTERM'); // forwarded to the task, which dies of it
      const run = await running;
      expect(run.code).toBe(143);
      const shown = run.stdout.toString('latin1').split('\n').filter((l) => l !== '');
      const sent = intake.logs().map((l) => l.message);
      // Every line the task wrote before it died was shown, and sent exactly once, in order.
      expect(shown.length).toBeGreaterThanOrEqual(20);
      expect(sent).toEqual(shown);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'sends a Node stack trace as one log, with its frames',
    async () => {
      const run = await execLogTask(['stack'], await logsEnv(intake));
      expect(run.code).toBe(1);
      const logs = intake.logs();
      const trace = logs.filter((l) => l.message.startsWith('Error: boom in the task'));
      expect(trace).toHaveLength(1);
      expect(trace[0]?.message.split('\n').length).toBeGreaterThanOrEqual(3);
      expect(trace[0]?.message).toMatch(/\n {4}at /);
      expect(trace[0]?.status).toBe('error');
      expect(logs.filter((l) => l.message.trimStart().startsWith('at '))).toHaveLength(0);
      expect(logs.map((l) => l.message)).toContain('after-stack');
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'binary garbage and a 3 MB line do not stop the stream: the 3 MB line is cut into marked logs of at most 1 MB, and the line after arrives',
    async () => {
      const run = await execLogTask(['garbage'], await logsEnv(intake));
      expect(run.code).toBe(0);
      expect(run.stdout.length).toBe(4096 + 5 + 3 * 1024 * 1024 + 15);
      const logs = intake.logs();
      expect(logs.map((l) => l.message)).toContain('after-garbage');
      const big = logs.filter((l) => l.message.includes('yyyy'));
      expect(big.length).toBeGreaterThanOrEqual(3);
      for (const l of big) expect(Buffer.byteLength(JSON.stringify(l))).toBeLessThanOrEqual(1024 * 1024);
      expect(big[0]?.message.endsWith('...TRUNCATED...')).toBe(true);
      expect(big.at(-1)?.message.startsWith('...TRUNCATED...')).toBe(true);
      const ys = big.reduce((n, l) => n + (l.message.match(/y/g)?.length ?? 0), 0);
      expect(ys).toBe(3 * 1024 * 1024);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'when the logs intake does not answer, the shutdown still ends within serverless_shutdown_timeout and the pending-work report names the unsent logs',
    async () => {
      intake.plan.enqueue('logs', ...Array.from({ length: 20 }, () => ({ hang: true })));
      const env = await logsEnv(intake, { DD_LOG_LEVEL: 'error', DD_SERVERLESS_SHUTDOWN_TIMEOUT: '2' });
      const run = await execLogTask(['lines', '10', '0'], env);
      expect(run.code).toBe(0);
      const stderr = run.stderr.toString('latin1');
      expect(stderr).toMatch(/still pending: [^\n]*LogSender \(stop running\): [^\n]*queued_logs=20/);
      expect(intake.logs()).toHaveLength(0);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "a wrapper stdout nobody reads for a while holds the task back for a bounded time only: it finishes, and every byte still comes out, in order",
    async () => {
      const exitFile = join(mkdtempSync(join(tmpdir(), 'exec-logs-')), 'exit-at');
      // The wrapper's stdout is read only once the task has exited: so the task was not held
      // back until a reader came (it would never have exited, and this test would time out).
      const run = await execLogTask(['bytes', '5000000'], await logsEnv(intake, { LOG_TASK_EXIT_FILE: exitFile }), undefined, () => existsSync(exitFile));
      expect(run.code).toBe(0);
      expect(run.stdout.equals(Buffer.from(`${'z'.repeat(99)}\n`.repeat(50_000)))).toBe(true);
      expect(intake.logs()).toHaveLength(50_000);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'with logs off (the default) sends no logs and leaves the output as it was',
    async () => {
      const run = await execLogTask(['lines', '10', '0'], await execEnv(intake, { DD_LOG_LEVEL: 'off' }));
      expect(run.code).toBe(0);
      expect(run.stdout.toString('latin1')).toBe(expected('out', 10));
      expect(intake.logs()).toHaveLength(0);
    },
    CASE_TIMEOUT_MS,
  );
});
