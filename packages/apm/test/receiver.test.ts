import { describe, expect, it } from '@jest/globals';
import { encode } from '@msgpack/msgpack';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from '@agentkit/core/testing';
import { DOGSTATSD_SERVER } from '@agentkit/dogstatsd';
import { RecordingDebuggerProxy, send, startApm } from './helpers.js';

const MSGPACK = { 'Content-Type': 'application/msgpack' };

function span(service: string, name: string, spanId: number): Record<string, unknown> {
  return { trace_id: 1, span_id: spanId, parent_id: 0, service, name, resource: name, start: 1_700_000_000_000_000_000, duration: 1000, error: 0, meta: { env: 'test' }, metrics: { _sampling_priority_v1: 1 }, type: 'web' };
}

/** Two traces, three spans, services `web` and `db`, as dd-trace's v0.4 encoder shapes them. */
function v04Payload(): Buffer {
  return Buffer.from(encode([[span('web', 'http.request', 1), span('db', 'pg.query', 2)], [span('web', 'http.request', 3)]]));
}

describe('GET /info', () => {
  it('lists the routes served, the debugger proxy\'s among them, and the fields tracers read', async () => {
    const port = await freeTcpPort();
    const proxy = new RecordingDebuggerProxy();
    await startApm(port, { env: 'staging' }, { debuggerProxy: proxy });
    const answer = await send({ port }, 'GET', '/info');
    expect(answer.status).toBe(200);
    const info = JSON.parse(answer.body) as Record<string, unknown>;
    expect(info['endpoints']).toEqual([
      '/v0.3/traces',
      '/v0.3/services',
      '/v0.4/traces',
      '/v0.4/services',
      '/v0.5/traces',
      '/debugger/v1/input',
      '/debugger/v1/diagnostics',
      '/debugger/v2/input',
      '/symdb/v1/input',
      '/dogstatsd/v1/proxy',
      '/dogstatsd/v2/proxy',
    ]);
    expect(info).toMatchObject({ client_drop_p0s: false, evp_proxy_allowed_headers: [], config: { default_env: 'staging', receiver_port: port, statsd_port: 0, max_request_bytes: 25 * 1024 * 1024 } });
  });

  it('leaves the debugger routes out without a debugger proxy, and answers them 404, counted', async () => {
    const port = await freeTcpPort();
    const { receiver } = await startApm(port);
    const info = JSON.parse((await send({ port }, 'GET', '/info')).body) as { endpoints: string[] };
    expect(info.endpoints.filter((e) => e.includes('debugger') || e.includes('symdb'))).toEqual([]);
    const answer = await send({ port }, 'POST', '/symdb/v1/input', 'x', { 'Content-Type': 'multipart/form-data; boundary=b' });
    expect(answer).toMatchObject({ status: 404, body: '404 page not found\n' });
    expect(receiver.telemetry()['dropped.no_debugger_proxy']).toBe(1);
  });
});

describe('the debugger routes', () => {
  it('are handed to the DebuggerProxy, body and all', async () => {
    const port = await freeTcpPort();
    const proxy = new RecordingDebuggerProxy();
    await startApm(port, {}, { debuggerProxy: proxy });
    for (const path of proxy.paths) expect((await send({ port }, 'POST', path, `to ${path}`)).status).toBe(202);
    expect(proxy.handled).toEqual(proxy.paths.map((path) => ({ path, method: 'POST', body: `to ${path}` })));
  });
});

describe('POST /dogstatsd/v2/proxy', () => {
  it('feeds the lines through the DogStatsD server (parser, enrichment, counters)', async () => {
    const port = await freeTcpPort();
    const { app, demux, receiver } = await startApm(port);
    const body = 'proxy.count:3|c|#a:b\nproxy.gauge:1.5|g\n\nproxy.dist:7|d\n';
    for (const path of ['/dogstatsd/v2/proxy', '/dogstatsd/v1/proxy']) expect((await send({ port }, 'POST', path, body)).status).toBe(200);
    app.get(DOGSTATSD_SERVER).flush();
    expect(demux.samples.map((s) => s.name).sort()).toEqual(['proxy.count', 'proxy.count', 'proxy.dist', 'proxy.dist', 'proxy.gauge', 'proxy.gauge']);
    expect(demux.samples.find((s) => s.name === 'proxy.count')?.tags).toContain('a:b');
    expect(receiver.telemetry()).toMatchObject({ 'dogstatsd_proxy.payloads': 2, 'dogstatsd_proxy.lines': 6, 'dogstatsd_proxy.bytes': 2 * body.length });
    const server = app.telemetry()['DogstatsdServer'];
    expect(server).toMatchObject({ lines: 6, samples: 6, 'packets_from.http': 2 });
    expect(server?.['packets_from.udp']).toBeUndefined();
  });

  it('cuts a large body at newlines and loses no line', async () => {
    const port = await freeTcpPort();
    const { app, demux } = await startApm(port);
    const lines = Array.from({ length: 20_000 }, (_, i) => `big.metric:${i}|c|#n:${i % 7}`);
    expect((await send({ port }, 'POST', '/dogstatsd/v2/proxy', `${lines.join('\n')}\n`)).status).toBe(200);
    app.get(DOGSTATSD_SERVER).flush();
    expect(demux.samples.length).toBe(20_000);
    expect(demux.samples.reduce((sum, s) => sum + s.value, 0)).toBe((19_999 * 20_000) / 2);
  });

  it('is never subject to dogstatsd_eol_required: the last line needs no newline', async () => {
    const port = await freeTcpPort();
    const { app, demux } = await startApm(port, { dogstatsd_eol_required: ['udp', 'uds', 'tcp'] });
    expect((await send({ port }, 'POST', '/dogstatsd/v2/proxy', 'eol.first:1|c\neol.last:2|c')).status).toBe(200);
    app.get(DOGSTATSD_SERVER).flush();
    expect(demux.samples.map((s) => s.name)).toEqual(['eol.first', 'eol.last']);
  });

  it('answers 503 as the Agent does when DogStatsD is off, counted', async () => {
    const port = await freeTcpPort();
    const { receiver } = await startApm(port, { use_dogstatsd: false }, { dogstatsd: false });
    expect((await send({ port }, 'POST', '/dogstatsd/v2/proxy', 'a:1|c\n')).status).toBe(503);
    expect(receiver.telemetry()['dropped.dogstatsd_disabled']).toBe(1);
  });

  it('drains on stop: a body still arriving when the stop begins reaches the DogStatsD server', async () => {
    const port = await freeTcpPort();
    const { app, demux } = await startApm(port);
    const { request } = await import('node:http');
    const answered = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/dogstatsd/v2/proxy', headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('late.first:1|c\n');
      // The rest comes once the stop has begun.
      setTimeout(() => req.end('late.second:2|c\n'), 100);
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const stopped = app.stop();
    expect(await answered).toBe(200);
    await stopped;
    expect(demux.samples.map((s) => s.name).sort()).toEqual(['late.first', 'late.second']);
  });
});

describe('traces', () => {
  it('decodes v0.4, answers rate_by_service, counts traces, spans and services as not forwarded, warns once', async () => {
    const port = await freeTcpPort();
    const { receiver, log } = await startApm(port);
    for (let i = 0; i < 2; i++) {
      const answer = await send({ port }, 'PUT', '/v0.4/traces', v04Payload(), { ...MSGPACK, 'X-Datadog-Trace-Count': '2' });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ rate_by_service: { 'service:,env:': 1 } });
    }
    expect(receiver.telemetry()).toMatchObject({
      'traces.payloads': 2,
      'traces.received': 4,
      'traces.spans': 6,
      'traces.services': 2,
      'dropped.traces_not_forwarded': 4,
      'dropped.spans_not_forwarded': 6,
    });
    expect(log.messages('warn').filter((m) => m.includes('NOT forwarded'))).toHaveLength(1);
  });

  it('decodes v0.5 (string table) and v0.3, and JSON on v0.4', async () => {
    const port = await freeTcpPort();
    const { receiver } = await startApm(port);
    const strings = ['', 'svc-a', 'op', 'res', 'web', 'svc-b'];
    const v05Span = (service: number) => [service, 2, 3, 1, 2, 0, 1_700_000_000_000_000_000, 10, 0, {}, {}, 4];
    const v05 = Buffer.from(encode([strings, [[v05Span(1), v05Span(5)]]]));
    expect((await send({ port }, 'PUT', '/v0.5/traces', v05, MSGPACK)).status).toBe(200);
    const v03 = await send({ port }, 'PUT', '/v0.3/traces', v04Payload(), MSGPACK);
    expect(v03).toMatchObject({ status: 200, body: 'OK\n' });
    expect((await send({ port }, 'POST', '/v0.4/traces', JSON.stringify([[span('json-svc', 'op', 9)]]), { 'Content-Type': 'application/json' })).status).toBe(200);
    expect(receiver.telemetry()).toMatchObject({ 'traces.received': 4, 'traces.spans': 6, 'traces.services': 5, 'traces.payloads.v05': 1, 'traces.payloads.v03': 1, 'traces.payloads.v04': 1 });
  });

  it('refuses bad input with a clear 4xx, counts it, and keeps serving', async () => {
    const port = await freeTcpPort();
    const { receiver } = await startApm(port);
    const good = v04Payload();
    const truncated = await send({ port }, 'PUT', '/v0.4/traces', good.subarray(0, good.length - 7), MSGPACK);
    expect(truncated).toMatchObject({ status: 400, body: 'unexpected-eof\n' });
    const garbage = await send({ port }, 'PUT', '/v0.4/traces', Buffer.from([0xc1, 0x00]), MSGPACK);
    expect(garbage.status).toBe(400);
    const wrongShape = await send({ port }, 'PUT', '/v0.5/traces', Buffer.from(encode({ not: 'traces' })), MSGPACK);
    expect(wrongShape.status).toBe(400);
    const wrongType = await send({ port }, 'PUT', '/v0.4/traces', good, { 'Content-Type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body).toMatch(/unsupported media type "text\/plain"/);
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x90);
    const tooLarge = await send({ port }, 'PUT', '/v0.4/traces', huge, MSGPACK);
    expect(tooLarge).toMatchObject({ status: 413, body: 'payload-too-large\n' });
    const getTraces = await send({ port }, 'GET', '/v0.4/traces');
    expect(getTraces.status).toBe(405);
    // Still serving, and the good payload is counted as before.
    expect((await send({ port }, 'PUT', '/v0.4/traces', good, MSGPACK)).status).toBe(200);
    expect(receiver.telemetry()).toMatchObject({
      'dropped.unexpected_eof': 1,
      'dropped.decode_error': 2,
      'dropped.unsupported_media_type': 1,
      'dropped.payload_too_large': 1,
      'dropped.method_not_allowed': 1,
      'traces.received': 2,
      'traces.spans': 3,
    });
  });

  it('refuses a chunked body that grows past apm_config.max_payload_size while read, and one that declares more', async () => {
    const port = await freeTcpPort();
    const { app, demux, receiver } = await startApm(port, { 'apm_config.max_payload_size': 1000 });
    const chunked = { 'Transfer-Encoding': 'chunked' };
    expect((await send({ port }, 'POST', '/dogstatsd/v2/proxy', 'small.one:1|c\n', chunked)).status).toBe(200);
    expect((await send({ port }, 'POST', '/dogstatsd/v2/proxy', 'big.one:1|c\n'.repeat(200), chunked)).status).toBe(413);
    expect((await send({ port }, 'POST', '/dogstatsd/v2/proxy', 'big.two:1|c\n'.repeat(200))).status).toBe(413);
    app.get(DOGSTATSD_SERVER).flush();
    expect(demux.samples.map((s) => s.name)).toEqual(['small.one']);
    expect(receiver.telemetry()['dropped.payload_too_large']).toBe(2);
  });
});

describe('anything else', () => {
  it('gets the Agent\'s 404, counted, each path logged once', async () => {
    const port = await freeTcpPort();
    const { receiver, log } = await startApm(port);
    for (const path of ['/v0.7/config', '/telemetry/proxy/api/v2/apmtelemetry', '/v0.7/config', '/profiling/v1/input']) {
      expect(await send({ port }, 'POST', path, '{}')).toMatchObject({ status: 404, body: '404 page not found\n' });
    }
    expect(receiver.telemetry()['dropped.not_found']).toBe(4);
    expect(log.messages('warn').filter((m) => m.startsWith('no route'))).toHaveLength(3);
  });
});

describe('who may talk to it', () => {
  it('answers the Host names tracers use, refuses foreign ones (DNS rebinding) and cross-site POSTs', async () => {
    const port = await freeTcpPort();
    const { receiver } = await startApm(port, { local_server_allowed_hosts: ['datadog-agent'] });
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'datadog-agent:8126', `[::1]:${port}`]) {
      expect((await send({ port }, 'GET', '/info', undefined, { Host: host })).status).toBe(200);
    }
    expect((await send({ port }, 'GET', '/info', undefined, { Host: 'evil.example:8126' })).status).toBe(421);
    expect((await send({ port }, 'POST', '/dogstatsd/v2/proxy', 'a:1|c\n', { Origin: 'https://evil.example' })).status).toBe(403);
    expect(receiver.telemetry()).toMatchObject({ 'refused.host': 1, 'refused.origin': 1 });
  });
});

describe('listening', () => {
  it('is off on TCP at apm_config.receiver_port 0, and listens on apm_config.receiver_socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apm-'));
    try {
      const socketPath = join(dir, 'apm.socket');
      const { receiver } = await startApm(0, { 'apm_config.receiver_socket': socketPath });
      expect(receiver).toMatchObject({ port: 0, url: '', socketPath, listening: true });
      const answer = await send({ socketPath }, 'PUT', '/v0.4/traces', v04Payload(), MSGPACK);
      expect(answer.status).toBe(200);
      expect(receiver.telemetry()['traces.received']).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs and counts a port in use, and the rest of the agent starts', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { receiver, log } = await startApm(port);
      expect(receiver.listening).toBe(false);
      expect(receiver.telemetry()['listen_errors']).toBe(1);
      expect(log.messages('error').join('\n')).toMatch(/apm_config\.receiver_port: .*cannot listen on TCP 127\.0\.0\.1:\d+ .*address already in use/i);
    } finally {
      blocker.close();
    }
  });
});
