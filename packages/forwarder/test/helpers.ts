import { afterEach } from '@jest/globals';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { replace } from '@agentkit/core';
import { createTestApp, RecordingLogger, type RecordedLine } from '@agentkit/core/testing';
import { FORWARDER, FORWARDER_CLOCK, forwarderBundle, forwarderConfigKeys, HttpForwarder } from '@agentkit/forwarder';
import type { Clock, EndpointName, FakeClock, Payload } from '@agentkit/forwarder';
import type { IntakeRequest } from '@agentkit/intake';
import { startTestIntake, type IntakeResponse, type RecordedRequest } from '@agentkit/testing';

export const API_KEY = '0123456789abcdef0123456789abcdef';

// Forwarders stop before intakes close, so a test's leftovers drain into a live server.
const forwardersToStop: (() => Promise<void>)[] = [];
const intakesToClose: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of forwardersToStop.splice(0)) await stop();
  for (const close of intakesToClose.splice(0)) await close();
});

/** One request the test intake received (GET /api/v1/validate included). */
export interface ReceivedRequest extends RecordedRequest {
  /** The `X-Seq` header the test payloads carry, as a number. */
  readonly seq: number;
}

/** What the intake does with a payload: answer with a status, never answer, or reset the connection. */
export type IntakeAction = number | 'hang' | 'reset' | { readonly status: number; readonly delayMs: number };

export interface ForwarderTestIntake {
  readonly url: string;
  /** Every POST, in the order answered, whatever the answer. */
  readonly posts: ReceivedRequest[];
  /** POSTs answered with a 2xx: what was delivered. */
  readonly accepted: ReceivedRequest[];
  readonly validations: ReceivedRequest[];
  /** Changes how the next POSTs are answered (`index`: POSTs answered before this one). */
  setAction(action: IntakeAction | ((req: IntakeRequest, index: number) => IntakeAction)): void;
  close(): Promise<void>;
}

/**
 * @agentkit/intake (through the test kit) on 127.0.0.1 with a random port, told by its fault
 * plan how to answer: the test payloads are not real series, so every POST gets the action's
 * answer, whatever it decodes to.
 */
export async function startIntake(initial: IntakeAction = 200, validateStatus: number | 'hang' = 200): Promise<ForwarderTestIntake> {
  let decide: (req: IntakeRequest, index: number) => IntakeAction = () => initial;
  let postsSeen = 0;
  const intake = await startTestIntake({
    respond: (req) => {
      if (req.method !== 'POST') return validateStatus === 200 ? undefined : validateStatus === 'hang' ? { hang: true } : { status: validateStatus, body: '{"valid":false}' };
      return toResponse(decide(req, postsSeen++));
    },
  });
  intakesToClose.push(() => intake.close());
  const received = (filter: (r: RecordedRequest) => boolean): ReceivedRequest[] =>
    intake.requests.filter(filter).map((r) => ({ ...r, seq: Number(r.headers['x-seq'] ?? -1) }));
  return {
    url: intake.url,
    get posts() {
      return received((r) => r.method === 'POST');
    },
    get accepted() {
      return received((r) => r.method === 'POST' && r.status >= 200 && r.status < 300);
    },
    get validations() {
      return received((r) => r.method === 'GET');
    },
    setAction(action) {
      decide = typeof action === 'function' ? action : () => action;
    },
    close: () => intake.close(),
  };
}

function toResponse(action: IntakeAction): IntakeResponse {
  if (action === 'hang') return { hang: true };
  if (action === 'reset') return { reset: true };
  return typeof action === 'number' ? { status: action } : action;
}

let nextSeq = 0;

/** A payload whose `X-Seq` header tells the intake which one it is. */
export function testPayload(options: { endpoint?: EndpointName; body?: Buffer; seq?: number } = {}): Payload & { seq: number } {
  const seq = options.seq ?? nextSeq++;
  return {
    seq,
    endpoint: options.endpoint ?? 'series_v2',
    body: options.body ?? Buffer.from(`payload ${seq}`),
    headers: { 'Content-Type': 'application/x-protobuf', 'X-Seq': String(seq), 'User-Agent': 'not-the-forwarder' },
    itemCount: 1,
  };
}

export interface StartedForwarder {
  readonly forwarder: HttpForwarder;
  readonly logs: RecordedLine[];
  stop(): Promise<void>;
}

/** Starts the real forwarder bundle in a test app (stopped after the test if still running). */
export async function startForwarder(env: Record<string, string>, clock?: Clock): Promise<StartedForwarder> {
  const config = loadConfig({ keys: [...commonConfigKeys, ...forwarderConfigKeys], env: { DD_API_KEY: API_KEY, ...env } });
  const logger = new RecordingLogger();
  const items = [forwarderBundle, ...(clock === undefined ? [] : [replace(FORWARDER_CLOCK, clock)])];
  const app = createTestApp(items, { config, logger });
  await app.start();
  const stop = async (): Promise<void> => {
    await app.stop();
  };
  forwardersToStop.push(stop);
  const forwarder = app.get(FORWARDER);
  if (!(forwarder instanceof HttpForwarder)) throw new Error('forwarderBundle must provide an HttpForwarder');
  return { forwarder, logs: logger.lines, stop };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` on real time until true; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Drives the forwarder's fake clock: whenever no request is in flight, moves time `stepMs` on,
 * until `predicate` holds. Requests still go over real sockets, so each step waits for them.
 */
export async function driveClock(clock: FakeClock, forwarder: HttpForwarder, predicate: () => boolean, maxSteps = 500, stepMs = 1000): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    await waitFor(() => predicate() || forwarder.telemetry().inflight === 0, 10_000, 'requests in flight to settle');
    if (predicate()) {
      // The intake counts a request when it answers; let the forwarder read the answer too.
      await waitFor(() => forwarder.telemetry().inflight === 0, 10_000, 'the last answers to be read');
      return;
    }
    clock.advance(stepMs);
  }
  throw new Error(`condition not reached after ${maxSteps} steps of ${stepMs} ms`);
}

/** All log lines, serialized, to check that the API key never appears. */
export function logText(lines: readonly RecordedLine[]): string {
  return lines.map((l) => `${l.msg} ${JSON.stringify(l.obj)}`).join('\n');
}
