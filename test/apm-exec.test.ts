import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { encode } from '@msgpack/msgpack';
import { freeTcpPort, freeUdpPort } from '@agentkit/core/testing';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { getJson, pollUntil, startAgentProcessesKilledAfterEach } from './support/agent-process.js';
import { execEnv, startExec } from './support/exec-process.js';
import { logLines } from './support/log-lines.js';

// The tracer's agent port end to end: the built CLI (`npm run build` first) wraps a program
// instrumented with the real dd-trace 5; dd-trace talks to agentkit's receiver as it would to
// the Datadog Agent on 8126 (here a free port in DD_APM_RECEIVER_PORT, so parallel runs do not
// collide; exec hands it to the program in DD_TRACE_AGENT_PORT).
const TASK = fileURLToPath(new URL('./fixtures/dd-trace-task.mjs', import.meta.url));
const CASE_TIMEOUT_MS = 60_000;

const startAgent = startAgentProcessesKilledAfterEach();

/** PUTs `body` as msgpack to `url`; resolves to the status and body. */
function putMsgpack(url: string, body: Uint8Array): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'Content-Type': 'application/msgpack', 'Content-Length': String(body.length) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let intake: TestIntake;
beforeEach(async () => {
  intake = await startTestIntake();
});
afterEach(async () => {
  await intake.close();
});

describe('agentkit exec with a dd-trace program', () => {
  it(
    'takes its metrics on /dogstatsd/v2/proxy to the intake, counts its spans, and dd-trace never fails to reach 8126',
    async () => {
      const apmPort = await freeTcpPort();
      const env = await execEnv(intake, {
        // exec gives the program this port in DD_TRACE_AGENT_PORT (it is not 8126).
        DD_APM_RECEIVER_PORT: String(apmPort),
        DD_SERVICE: 'ddtrace-task',
        DD_ENV: 'e2e',
        DD_RUNTIME_METRICS_ENABLED: 'true',
        DD_RUNTIME_METRICS_FLUSH_INTERVAL: '500',
        DD_TRACE_DEBUG: 'true',
        DD_LOG_LEVEL: 'debug',
        // With a 404 on /telemetry/proxy dd-trace would turn to Datadog's telemetry intake itself: tests stay on loopback.
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
      });
      const run = startExec(['--', 'node', TASK], env);
      const { code } = await run.closed;
      const output = `${run.stdout()}\n${run.stderr()}`;
      expect(code).toBe(0);
      expect(run.stdout()).toContain('ddtrace task done');

      // dd-trace's own debug output: it sent over HTTP and never met a refused connection.
      expect(output).toMatch(/Flushing \d+ metrics via HTTP/);
      expect(output).not.toMatch(/ECONNREFUSED|connect ECONN|socket hang up/);
      expect(output).not.toMatch(/HTTP error from agent/);

      // The custom metrics and runtime metrics, at the intake.
      const metrics = new Set(intake.series().map((s) => s.metric));
      expect(metrics).toContain('ddtrace_task.requests');
      expect(metrics).toContain('ddtrace_task.queue_depth');
      expect(intake.sketches().map((s) => s.metric)).toContain('ddtrace_task.latency');
      expect([...metrics].some((m) => m.startsWith('runtime.node.'))).toBe(true);
      const requests = intake.series().filter((s) => s.metric === 'ddtrace_task.requests');
      expect(requests.reduce((n, s) => n + s.points.reduce((p, pt) => p + pt.value * s.interval, 0), 0)).toBe(3);

      // Our counters: the lines came through the proxy, the span was received and counted as not forwarded.
      const stopped = logLines(run.stderr()).find((l) => l['component'] === 'ApmReceiver' && l['msg'] === 'trace agent receiver stopped');
      expect(stopped).toBeDefined();
      expect(stopped?.['dogstatsd_proxy.lines']).toBeGreaterThan(3);
      expect(stopped?.['traces.spans']).toBe(2);
      expect(stopped?.['traces.received']).toBe(1);
      expect(stopped?.['dropped.spans_not_forwarded']).toBe(2);
      expect(stopped?.['info_requests']).toBeGreaterThanOrEqual(0);
      // The DogStatsD server took them as packets of the http transport, none over UDP (no fallback).
      const server = logLines(run.stderr()).find((l) => l['component'] === 'DogstatsdServer' && l['msg'] === 'dogstatsd server stopped');
      expect(server?.['packets_from.http']).toBeGreaterThan(0);
      expect(server?.['packets_from.udp']).toBeUndefined();
      const warned = logLines(run.stderr()).filter((l) => l['level'] === 40 && String(l['msg']).includes('NOT forwarded'));
      expect(warned).toHaveLength(1);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit exec, the program\'s DD_TRACE_AGENT_PORT', () => {
  const printPort = ['--', 'node', '-e', "process.stdout.write(`port=${process.env.DD_TRACE_AGENT_PORT ?? 'unset'}\\n`)"];

  it('is the receiver\'s port when it is not 8126, unless the program was pointed at an agent already', async () => {
    const apmPort = await freeTcpPort();
    const given = startExec(printPort, await execEnv(intake, { DD_APM_RECEIVER_PORT: String(apmPort) }));
    expect((await given.closed).code).toBe(0);
    expect(given.stdout()).toContain(`port=${apmPort}\n`);
    const pointed = startExec(printPort, await execEnv(intake, { DD_APM_RECEIVER_PORT: String(apmPort), DD_AGENT_HOST: 'other-agent' }));
    expect((await pointed.closed).code).toBe(0);
    expect(pointed.stdout()).toContain('port=unset\n');
  }, CASE_TIMEOUT_MS);
});

describe('agentkit run', () => {
  it('listens for tracers, and its trace counts are on the local intake page and at the status port', async () => {
    const apmPort = await freeTcpPort();
    const agent = startAgent(['run'], {
      DD_DOGSTATSD_PORT: String(await freeUdpPort()),
      DD_LOCAL_INTAKE_PORT: '0',
      DD_CMD_PORT: '0',
      DD_APM_RECEIVER_PORT: String(apmPort),
    });
    const [, tracersUrl] = await agent.waitForStdout(/Tracers\s+(http:\S+)/);
    expect(tracersUrl).toBe(`http://127.0.0.1:${apmPort}`);
    const [, intakeUrl] = await agent.waitForStdout(/Local intake (http:\S+)\//);
    const [, statusUrl] = await agent.waitForStdout(/Status\s+(http:\S+)\/status/);
    const traces = encode([[{ trace_id: 1, span_id: 1, parent_id: 0, service: 'run-svc', name: 'op', resource: 'r', start: 1, duration: 1 }]]);
    const answer = await putMsgpack(`${tracersUrl}/v0.4/traces`, traces);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveProperty('rate_by_service');
    // The page's agent counters (what the intake page shows), read from the app's telemetry.
    const counters = await getJson<Record<string, Record<string, number>>>(`${intakeUrl}/api/local/agent`);
    expect(counters['ApmReceiver']).toMatchObject({ 'traces.payloads.v04': 1, 'traces.received': 1, 'traces.spans': 1, 'dropped.traces_not_forwarded': 1 });
    const status = await getJson<{ components: Record<string, Record<string, number>> }>(`${statusUrl}/status`);
    expect(status.components['ApmReceiver']).toMatchObject({ 'traces.received': 1, 'dropped.spans_not_forwarded': 1 });
    const telemetry = await (await fetch(`${statusUrl}/telemetry`)).text();
    expect(telemetry).toMatch(/dropped.*reason="traces_not_forwarded".* 1/);
    expect(await agent.stop('SIGINT')).toBe(0);
  }, 40_000);

  it('proxies a tracer\'s multipart symdb upload on 8126 to the embedded intake, with the agent\'s headers', async () => {
    const apmPort = await freeTcpPort();
    const agent = startAgent(['run'], {
      DD_DOGSTATSD_PORT: String(await freeUdpPort()),
      DD_LOCAL_INTAKE_PORT: '0',
      DD_CMD_PORT: '-1',
      DD_APM_RECEIVER_PORT: String(apmPort),
      DD_HOSTNAME: 'web-1',
      DD_ENV: 'staging',
    });
    const [, tracersUrl] = await agent.waitForStdout(/Tracers\s+(http:\S+)/);
    const [, intakeUrl] = await agent.waitForStdout(/Local intake (http:\S+)\//);
    // As dd-trace sends it: an `event` JSON part and a gzipped symbol file.
    const scopes = { service: 'checkout', env: 'staging', version: '1.0.0', language: 'javascript', scopes: [{ scope_type: 'MODULE', name: 'src/app.js', source_file: 'src/app.js', start_line: 0, end_line: 10 }] };
    const form = new FormData();
    form.append('event', new Blob([JSON.stringify({ ddsource: 'dd_debugger', service: 'checkout', type: 'symdb' })], { type: 'application/json' }), 'event.json');
    form.append('file', new Blob([gzipSync(JSON.stringify(scopes))], { type: 'application/gzip' }), 'symdb_checkout.gz');

    const answer = await fetch(`${tracersUrl}/symdb/v1/input`, { method: 'POST', body: form, headers: { 'X-Datadog-Additional-Tags': 'runtime-id:rt-1' } });

    expect(answer.status).toBe(202);
    const uploads = await pollUntil(
      () => getJson<{ path: string; service?: string; headers?: Record<string, string> }[]>(`${intakeUrl}/api/local/symdb`),
      (list) => list.length > 0,
      'the symdb upload at the local intake',
    );
    expect(uploads[0]).toMatchObject({ path: '/symdb/v1/input', service: 'checkout' });
    expect(uploads[0]?.headers).toMatchObject({ evpOrigin: 'agent-symdb', additionalTags: expect.stringContaining('host:web-1,default_env:staging,agent_version:') as unknown });
    expect(uploads[0]?.headers?.['additionalTags']).toContain('runtime-id:rt-1');
    expect(await agent.stop('SIGINT')).toBe(0);
  }, 40_000);
});
