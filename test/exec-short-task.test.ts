import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { execEnv, startExec } from './support/exec-process.js';

// The shortest task agentkit exec wraps: it sends its metrics and exits in the same breath, so
// the drain starts while the pipeline may still be starting (undici loading, components after
// the ready point starting). Everything it sent must still reach the intake, with its exit
// code passed on, and the wrapper's path to its exit carries only the last send: no API key
// check (serverless-init's forwarder makes none; a forwarder stopping before its first check
// is due makes none either). Run `npm run build` first.
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

function linesAt(intake: TestIntake): number {
  let total = 0;
  for (const series of intake.series()) {
    if (series.metric !== 'short.task.lines') continue;
    for (const point of series.points) total += point.value * series.interval;
  }
  return Math.round(total);
}

describe('agentkit exec: a task that exits right after sending', () => {
  let intake: TestIntake;
  beforeEach(async () => {
    intake = await startTestIntake();
  });
  afterEach(async () => {
    await intake.close();
  });

  it(
    'delivers every line it sent, passes its exit code on, and sends nothing but the payloads',
    async () => {
      const run = startExec(['--', process.execPath, '-e', PROGRAM], await execEnv(intake));
      expect((await run.closed).code).toBe(4);
      expect(linesAt(intake)).toBe(LINES);
      // The enhanced metrics (a distribution) came too: the last send carried the whole drain.
      expect(intake.sketches().some((s) => s.metric === 'datadog.serverless_agent.enhanced.shutdown')).toBe(true);
      expect(intake.requests.filter((r) => r.path === '/api/v1/validate')).toHaveLength(0);
      expect(run.stderr()).toMatch(/drained; exiting with code 4/);
    },
    CASE_TIMEOUT_MS,
  );
});
