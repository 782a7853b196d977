import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { freeTcpPort } from '@agentkit/core/testing';
import { counterTotalAtIntake, execEnv, startExec } from './support/exec-process.js';
import { logLine } from './support/log-lines.js';

// agentkit exec starts its program beside the pipeline's construction when every listener of the
// ready point can be bound first: the program's first datagrams and its first request to the
// trace agent's port meet sockets that are there and held, and the listeners take them over.
// Run `npm run build` first.
const CASE_TIMEOUT_MS = 60_000;
const LINES = 1000;

// At once, before anything else: 1000 lines over UDP, then GET /info on the trace agent's
// port; prints the answer's status and exits 3.
const PROGRAM = `
const dgram = require('node:dgram');
const http = require('node:http');
const socket = dgram.createSocket('udp4');
let sent = 0;
const next = () => {
  if (sent === ${LINES}) return socket.close(info);
  socket.send('early.lines:1|c', Number(process.env.DD_DOGSTATSD_PORT), '127.0.0.1', (error) => { if (error) throw error; sent += 1; next(); });
};
const info = () => http.get({ host: '127.0.0.1', port: Number(process.env.DD_TRACE_AGENT_PORT), path: '/info' }, (res) => {
  res.resume();
  res.on('end', () => { console.log('info ' + res.statusCode); process.exit(3); });
});
next();
`;

describe('agentkit exec: the program starts beside the pipeline', () => {
  let intake: TestIntake;
  beforeEach(async () => {
    intake = await startTestIntake();
  });
  afterEach(async () => {
    await intake.close();
  });

  it(
    'starts it before the pipeline, and loses none of the lines nor the request it sent at once',
    async () => {
      const run = startExec(['--', process.execPath, '-e', PROGRAM], await execEnv(intake, { DD_LOG_LEVEL: 'debug' }));
      expect((await run.closed).code).toBe(3);
      expect(run.stdout()).toBe('info 200\n');
      expect(counterTotalAtIntake(intake, 'early.lines')).toBe(LINES);
      const stderr = run.stderr();
      expect(logLine<{ beforePipeline: boolean }>(stderr, 'program started').beforePipeline).toBe(true);
      // The program was running before the listener's own start (which took the socket over).
      expect(stderr.indexOf('"msg":"program started"')).toBeLessThan(stderr.indexOf('DogStatsD listening on UDP'));
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'waits for the ready point when a listener of it cannot be bound first (here DogStatsD over TCP)',
    async () => {
      const env = await execEnv(intake, { DD_LOG_LEVEL: 'debug', DD_DOGSTATSD_TCP_PORT: String(await freeTcpPort()) });
      const run = startExec(['--', process.execPath, '-e', PROGRAM], env);
      expect((await run.closed).code).toBe(3);
      expect(counterTotalAtIntake(intake, 'early.lines')).toBe(LINES);
      const stderr = run.stderr();
      expect(logLine<{ beforePipeline: boolean }>(stderr, 'program started').beforePipeline).toBe(false);
      expect(stderr.indexOf('"msg":"program started"')).toBeGreaterThan(stderr.indexOf('DogStatsD listening on UDP'));
    },
    CASE_TIMEOUT_MS,
  );
});
