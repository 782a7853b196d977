import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalIntake } from '@agentkit/intake';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { EXEC_TASK, execEnv, linesAtIntake, linesSent, startExec } from './support/exec-process.js';
import { sendLinesFromChild } from './support/send-lines.js';
import { logLines } from './support/log-lines.js';

// agentkit exec end to end: the built CLI wraps a real task (test/fixtures/exec-task.mjs) that
// sends DogStatsD lines over real UDP; the pipeline ships them to a real HTTP intake. Run
// `npm run build` first. Each case takes one to three seconds.
const CASE_TIMEOUT_MS = 60_000;
const BURST = 20_000;

let intake: TestIntake;
beforeEach(async () => {
  intake = await startTestIntake();
});
afterEach(async () => {
  await intake.close();
});

describe('agentkit exec, a task that ends by itself', () => {
  it(
    'delivers every line of a task that streams for a second, bursts 20k lines and exits; exit code 0',
    async () => {
      const run = startExec(['--', 'node', EXEC_TASK, '--stream-ms', '1000', '--burst', String(BURST)], await execEnv(intake));
      const { code } = await run.closed;
      expect(code).toBe(0);
      const sent = linesSent(run.stdout());
      expect(sent).toBeGreaterThan(BURST);
      expect(linesAtIntake(intake, 'burst')).toBe(BURST);
      expect(linesAtIntake(intake)).toBe(sent);
      // The enhanced metrics of a local (no cloud) run: one cold start, one shutdown.
      const enhanced = intake.sketches().filter((s) => s.metric.startsWith('datadog.serverless_agent.enhanced.'));
      const count = (name: string): number =>
        enhanced.filter((s) => s.metric === name).reduce((n, s) => n + s.dogsketches.reduce((c, d) => c + d.cnt, 0), 0);
      expect(count('datadog.serverless_agent.enhanced.cold_start')).toBe(1);
      expect(count('datadog.serverless_agent.enhanced.shutdown')).toBe(1);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "leaves the task's stdout exactly as the task wrote it (the wrapper logs on stderr)",
    async () => {
      const run = startExec(['--', 'node', EXEC_TASK, '--burst', '10'], await execEnv(intake));
      expect((await run.closed).code).toBe(0);
      expect(run.stdout()).toMatch(/^ready\nsent 15\nexit-at \d+\n$/);
      expect(run.stderr()).toContain('program exited with code 0');
    },
    CASE_TIMEOUT_MS,
  );

  it.each([
    ['exits 3', ['--exit-code', '3'], 3],
    ['is killed by SIGKILL', ['--die', 'SIGKILL'], 128 + 9],
    ['is killed by SIGHUP', ['--die', 'SIGHUP'], 128 + 1],
  ])(
    'exits with the task\'s code when the task %s, after delivering its lines',
    async (_what, flags, expected) => {
      const run = startExec(['--', 'node', EXEC_TASK, '--burst', '1000', ...flags], await execEnv(intake));
      expect((await run.closed).code).toBe(expected);
      expect(linesAtIntake(intake)).toBe(linesSent(run.stdout()));
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'splits a single argument on whitespace, as serverless-init does',
    async () => {
      const run = startExec([`node ${EXEC_TASK} --burst 100 --exit-code 4`], await execEnv(intake));
      expect((await run.closed).code).toBe(4);
      expect(linesAtIntake(intake)).toBe(linesSent(run.stdout()));
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'gives the program its own options without --: they are not parsed as agentkit options',
    async () => {
      const run = startExec(['node', EXEC_TASK, '--burst', '100', '--exit-code', '5'], await execEnv(intake));
      expect((await run.closed).code).toBe(5);
      expect(linesAtIntake(intake)).toBe(linesSent(run.stdout()));
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'exits 127, saying why, when the command does not exist',
    async () => {
      const run = startExec(['--', 'agentkit-no-such-command-here'], await execEnv(intake));
      expect((await run.closed).code).toBe(127);
      expect(run.stderr()).toContain('cannot run agentkit-no-such-command-here');
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit exec, signals', () => {
  it(
    "passes SIGTERM to the task and keeps receiving until it exits: the task's final burst arrives; exit code 0",
    async () => {
      const run = startExec(['--', 'node', EXEC_TASK, '--until-signal', '--on-sigterm', 'burst-exit', '--burst', String(BURST)], await execEnv(intake));
      await run.waitForStdout(/^ready$/m);
      run.child.kill('SIGTERM');
      const { code } = await run.closed;
      expect(code).toBe(0);
      expect(run.stdout()).toContain('signal SIGTERM');
      expect(linesAtIntake(intake, 'burst')).toBe(BURST);
      expect(linesAtIntake(intake)).toBe(linesSent(run.stdout()));
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'forwards other signals (SIGUSR2, SIGHUP, SIGWINCH) without shutting down',
    async () => {
      const run = startExec(['--', 'node', EXEC_TASK, '--until-signal', '--on-sigterm', 'burst-exit', '--log-signals'], await execEnv(intake));
      await run.waitForStdout(/^ready$/m);
      for (const signal of ['SIGUSR2', 'SIGHUP', 'SIGWINCH'] as const) {
        run.child.kill(signal);
        await run.waitForStdout(new RegExp(`^signal ${signal}$`, 'm'));
      }
      run.child.kill('SIGTERM');
      expect((await run.closed).code).toBe(0);
      expect(linesAtIntake(intake)).toBe(linesSent(run.stdout()));
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'kills a task that ignores SIGTERM when only the drain\'s reserve of the budget is left, logging what was pending',
    async () => {
      const run = startExec(
        ['--', 'node', EXEC_TASK, '--until-signal', '--on-sigterm', 'ignore'],
        await execEnv(intake, { DD_SERVERLESS_SHUTDOWN_TIMEOUT: '2' }),
      );
      await run.waitForStdout(/^ready$/m);
      run.child.kill('SIGTERM');
      const { code } = await run.closed;
      expect(code).toBe(128 + 9);
      expect(run.stdout()).toContain('signal SIGTERM (ignored)');
      expect(run.stderr()).toMatch(/the program did not exit within \d+ ms of SIGTERM: sending SIGKILL, keeping 1000 ms of serverless_shutdown_timeout for the drain; pending: /);
      expect(run.stderr()).toContain('drained; exiting with code 137');
      // What it streamed before the kill was still delivered.
      expect(linesAtIntake(intake, 'stream')).toBeGreaterThan(0);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit exec, the shutdown budget', () => {
  it(
    "exits with the task's code when the budget runs out during the drain, naming what was still pending",
    async () => {
      intake.setResponder((request) => (request.path.startsWith('/api/v1/validate') ? undefined : { hang: true }));
      const run = startExec(
        ['--', 'node', EXEC_TASK, '--burst', '100', '--exit-code', '5'],
        await execEnv(intake, { DD_SERVERLESS_SHUTDOWN_TIMEOUT: '1', DD_FORWARDER_STOP_TIMEOUT: '30' }),
      );
      const { code } = await run.closed;
      expect(code).toBe(5);
      expect(run.stderr()).toMatch(/serverless_shutdown_timeout \(1000 ms\) ran out during the drain; exiting with code 5; still pending: .*Forwarder \(stop running\): .*inflight=\d/);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "exits within serverless_shutdown_timeout of SIGTERM with the task's code when the intake never answers, naming the forwarder's pending payloads",
    async () => {
      intake.setResponder(() => ({ hang: true }));
      const budgetMs = 2000;
      const run = startExec(
        ['--', 'node', EXEC_TASK, '--until-signal', '--on-sigterm', 'burst-exit', '--burst', '100', '--exit-code', '7'],
        // forwarder_stop_timeout far over the budget: the budget is what ends the forwarder's wait.
        await execEnv(intake, { DD_SERVERLESS_SHUTDOWN_TIMEOUT: String(budgetMs / 1000), DD_FORWARDER_STOP_TIMEOUT: '30' }),
      );
      await run.waitForStdout(/^ready$/m);
      const signalledAt = performance.now();
      run.child.kill('SIGTERM');
      const { code } = await run.closed;
      const exitedAfterMs = performance.now() - signalledAt;
      expect(code).toBe(7);
      expect(run.stderr()).toMatch(/serverless_shutdown_timeout \(2000 ms\) ran out during the drain; exiting with code 7; still pending: .*Forwarder \(stop running\): .*inflight=\d/);
      const report = logLines(run.stderr()).find((line) => String(line['msg']).includes('ran out during the drain'));
      // The wrapper's own clock, from SIGTERM to its exit: inside the budget.
      expect(report?.['shutdownMs']).toBeLessThanOrEqual(budgetMs);
      expect([...(report?.['cut'] as string[]), ...(report?.['unfinished'] as string[])]).toContain('Forwarder');
      // The forwarder counted and logged what it could not send.
      expect(logLines(run.stderr()).some((line) => line['component'] === 'Forwarder' && line['reason'] === 'stop_timeout_inflight')).toBe(true);
      // Seen from outside, the process's exit too: Cloud Run allows 10 s for the 9.5 s default.
      expect(exitedAfterMs).toBeLessThan(budgetMs + 500);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit exec and the UDP port', () => {
  it(
    'gives the program the port DogStatsD listens on in DD_DOGSTATSD_PORT, also when the port comes from the config file',
    async () => {
      const { DD_DOGSTATSD_PORT: port, ...env } = await execEnv(intake);
      const dir = mkdtempSync(join(tmpdir(), 'agentkit-exec-port-'));
      const file = join(dir, 'datadog.yaml');
      writeFileSync(file, `dogstatsd_port: ${port}\n`);
      expect(env).not.toHaveProperty('DD_DOGSTATSD_PORT'); // the task can learn it only from exec
      const run = startExec(['--config', file, '--', 'node', EXEC_TASK, '--burst', '100'], env);
      expect((await run.closed).code).toBe(0);
      expect(run.stderr()).toContain(`DogStatsD listening on UDP 127.0.0.1:${port}`);
      expect(linesAtIntake(intake)).toBe(linesSent(run.stdout()));
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit exec, without a program or without a pipeline', () => {
  it(
    'runs as a sidecar with no command: receives until SIGTERM, drains, exits 0',
    async () => {
      const run = startExec([], await execEnv(intake));
      const [, port] = await run.waitForStderr(/DogStatsD listening on UDP 127\.0\.0\.1:(\d+)/);
      const lines = Array.from({ length: 1000 }, () => 'task.lines:1|c|#phase:sidecar');
      expect(await sendLinesFromChild(Number(port), lines)).toBe(1000);
      run.child.kill('SIGTERM');
      expect((await run.closed).code).toBe(0);
      expect(linesAtIntake(intake, 'sidecar')).toBe(1000);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'still runs the task, and passes its exit code through, when the pipeline cannot start',
    async () => {
      const taken = await bindUdp();
      try {
        const { port } = taken.address();
        const run = startExec(['--', 'node', EXEC_TASK, '--burst', '10', '--exit-code', '3'], await execEnv(intake, { DD_DOGSTATSD_PORT: String(port) }));
        expect((await run.closed).code).toBe(3);
        expect(run.stderr()).toContain('the metrics pipeline could not start, the program runs WITHOUT it');
        expect(run.stdout()).toContain('sent 15');
      } finally {
        taken.close();
      }
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit exec, tags as serverless-init puts them', () => {
  it(
    "puts the YAML file's tags, extra_tags, env, service and version on every metric, dogstatsd_tags added, and sends no host metadata",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'agentkit-exec-tags-'));
      const file = join(dir, 'datadog.yaml');
      writeFileSync(file, 'tags: [team:pay, "tier:web,owner:x"]\nextra_tags: [zone:b]\nenv: Staging\nservice: Checkout\nversion: 1.2.3\ndogstatsd_tags: [from:dsd]\n');
      const run = startExec(['--config', file, '--', 'node', EXEC_TASK, '--burst', '10'], await execEnv(intake));
      expect((await run.closed).code).toBe(0);
      const lines = intake.series().filter((s) => s.metric === 'task.lines');
      expect(lines.length).toBeGreaterThan(0);
      const expected = ['env:staging', 'service:checkout', 'version:1.2.3', 'team:pay', 'tier:web', 'owner:x', 'zone:b', 'from:dsd', 'local:true'];
      for (const series of lines) expect(series.tags).toEqual(expect.arrayContaining(expected));
      expect(linesAtIntake(intake)).toBe(linesSent(run.stdout()));
      expect(intake.hostMetadata()).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );
});

function bindUdp(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}


describe('agentkit exec and the symbol database', () => {
  it(
    "uploads the program's working directory in the background when symbol_database_upload_enabled is set",
    async () => {
      const local = await startLocalIntake({ port: 0 });
      try {
        const dir = mkdtempSync(join(tmpdir(), 'agentkit-exec-symdb-'));
        writeFileSync(join(dir, 'app.js'), 'export function handle(request) {\n  const started = Date.now();\n  return started;\n}\n');
        const env = await execEnv(intake, { DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_SYMDB_URL: `${local.url}/symdb/v1/input`, DD_SERVICE: 'checkout' });
        const run = startExec(['--', 'node', EXEC_TASK, '--stream-ms', '1000', '--burst', '100'], env, dir);
        expect((await run.closed).code).toBe(0);
        expect(linesAtIntake(intake)).toBe(linesSent(run.stdout()));
        expect(local.symdbUploads()).toEqual([expect.objectContaining({ service: 'checkout', language: 'javascript', scopeCount: 1 })]);
        // Parsed in a parser process forked from the bundled CLI (its entry found beside the bundle).
        expect(run.stderr()).toMatch(/"parserProcesses":1,.*"msg":"symbol database uploaded"/);
      } finally {
        await local.onStop();
      }
    },
    CASE_TIMEOUT_MS,
  );
});
