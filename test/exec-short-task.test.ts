import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTestCertificate, startTestIntake, type TestIntake } from '@agentkit/testing';
import { counterTotalAtIntake, execEnv, startExec } from './support/exec-process.js';

// The shortest task agentkit exec wraps: it sends its metrics and exits in the same breath, so
// the drain starts while the pipeline may still be starting (the HTTP client being made, components after
// the ready point starting). Everything it sent must still reach the intake, with its exit
// code passed on. And what the last send needs (the HTTP client, TLS's root certificates, the key
// check that readies the HTTP client) is readied once the program runs, beside it, not after
// its exit. Run `npm run build` first.
const CASE_TIMEOUT_MS = 60_000;
const LINES = 500;

// 500 lines over UDP, as fast as the socket takes them, then exit 4 at once (no timer, no wait).
const PROGRAM = `
const socket = require('node:dgram').createSocket('udp4');
let sent = 0;
const next = () => {
  if (sent === ${LINES}) process.exit(4);
  socket.send('short.task.lines:1|c', Number(process.env.DD_DOGSTATSD_PORT), '127.0.0.1', (error) => { if (error) throw error; sent += 1; next(); });
};
next();
`;

describe('agentkit exec: a task that exits right after sending', () => {
  let intake: TestIntake;
  beforeEach(async () => {
    intake = await startTestIntake();
  });
  afterEach(async () => {
    await intake.close();
  });

  it(
    'delivers every line it sent and passes its exit code on',
    async () => {
      const run = startExec(['--', process.execPath, '-e', PROGRAM], await execEnv(intake));
      expect((await run.closed).code).toBe(4);
      expect(counterTotalAtIntake(intake, 'short.task.lines')).toBe(LINES);
      // The enhanced metrics (a distribution) came too: the last send carried the whole drain.
      expect(intake.sketches().some((s) => s.metric === 'datadog.serverless_agent.enhanced.shutdown')).toBe(true);
      expect(run.stderr()).toMatch(/drained; exiting with code 4/);
      // At most one key check, never two connections' worth of them on the way out.
      expect(intake.requests.filter((r) => r.path === '/api/v1/validate').length).toBeLessThanOrEqual(1);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit exec: the last send readied while the program runs', () => {
  let intake: TestIntake;
  let dir: string;
  beforeEach(async () => {
    intake = await startTestIntake({ tls: await makeTestCertificate() });
    dir = mkdtempSync(path.join(tmpdir(), 'agentkit-exec-ready-'));
  });
  afterEach(async () => {
    await intake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'builds TLS root certificates and checks the key before the program exits, then delivers everything',
    async () => {
      // The program sends and exits only once its wrapper's key check reached the intake (the
      // intake writes the file): what exec readies for the last send was done while it ran.
      const checked = path.join(dir, 'key-checked');
      intake.setResponder((request) => {
        if (request.path === '/api/v1/validate') writeFileSync(checked, '');
        return undefined;
      });
      const program = `const fs = require('node:fs'); const wait = () => (fs.existsSync(${JSON.stringify(checked)}) ? send() : setTimeout(wait, 5)); const send = () => { ${PROGRAM} }; wait();`;
      const env = await execEnv(intake, { DD_SKIP_SSL_VALIDATION: 'true', DD_LOG_LEVEL: 'debug' });
      const run = startExec(['--', process.execPath, '-e', program], env);
      expect((await run.closed).code).toBe(4);
      expect(counterTotalAtIntake(intake, 'short.task.lines')).toBe(LINES);
      const stderr = run.stderr();
      const ready = stderr.indexOf('TLS root certificates ready for the first send');
      expect(ready).toBeGreaterThan(-1);
      expect(ready).toBeLessThan(stderr.indexOf('"msg":"program exited'));
      expect(intake.requests.filter((r) => r.path === '/api/v1/validate')).toHaveLength(1);
    },
    CASE_TIMEOUT_MS,
  );
});
