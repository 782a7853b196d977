import { afterEach, describe, expect, it } from '@jest/globals';
import { createTestApp, RecordingLogger } from '@agentkit/core/testing';
import { LOG_SENDER, LOGS_CONTEXT, logSenderBundle, MAX_ENTRY_BYTES, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_ENTRIES, type LogEntry } from '@agentkit/logs';
import { bundle, provide } from '@agentkit/core';
import { startTestIntake, startTestProxy, type TestIntake } from '@agentkit/testing';
import { gunzipSync } from 'node:zlib';
import { API_KEY, logsConfig } from './helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function intake(options: Parameters<typeof startTestIntake>[0] = {}): Promise<TestIntake> {
  const started = await startTestIntake(options);
  closers.push(() => started.close());
  return started;
}

function entry(message: string, i = 0): LogEntry {
  return { message, status: i % 2 === 0 ? 'info' : 'error', timestampMs: 1_700_000_000_000 + i, stream: i % 2 === 0 ? 'stdout' : 'stderr' };
}

/** A started app with the real sender shipping to `url` as logs_dd_url; stop it to drain. */
async function sender(env: Record<string, string>, logger = new RecordingLogger()) {
  const app = createTestApp([logSenderBundle, bundle('ctx', [provide(LOGS_CONTEXT, { useValue: { tags: ['env:test', 'team:logs'], defaultSource: 'cloudrun' } })])], {
    config: logsConfig({ DD_LOGS_CONFIG_BATCH_WAIT: '0.05', DD_SERVICE: 'Checkout', ...env }),
    logger,
  });
  await app.start();
  return { app, sender: app.get(LOG_SENDER), logger };
}

describe('HttpLogSender', () => {
  it('posts gzipped JSON arrays to /api/v2/logs with the fields serverless-init puts on each log', async () => {
    const target = await intake();
    const { app, sender: s } = await sender({ DD_LOGS_CONFIG_LOGS_DD_URL: target.url, DD_SOURCE: 'Node', DD_HOSTNAME: 'box-1' });
    s.send(entry('hello', 0));
    s.send({ ...entry('with attributes', 1), attributes: { user: 7, message: 'ignored', service: 'not ours' } });
    await app.stop();
    const [request] = target.payloads('logs');
    expect(request?.path).toBe('/api/v2/logs');
    expect(request?.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/json', 'dd-api-key': API_KEY, 'dd-protocol': 'agent-json' });
    expect(JSON.parse(gunzipSync(request?.body ?? Buffer.alloc(0)).toString())).toEqual([
      { message: 'hello', status: 'info', timestamp: 1_700_000_000_000, hostname: 'box-1', service: 'checkout', ddsource: 'node', ddtags: 'env:test,team:logs' },
      { user: 7, message: 'with attributes', status: 'error', timestamp: 1_700_000_000_001, hostname: 'box-1', service: 'checkout', ddsource: 'node', ddtags: 'env:test,team:logs' },
    ]);
    expect(app.telemetry()['LogSender']).toMatchObject({ 'logs.received': 2, 'logs.sent': 2, 'logs.dropped': 0, queued_logs: 0 });
  });

  it('keeps each payload within 1,000 logs and 5 MB, and each log within 1 MB', async () => {
    const target = await intake();
    const { app, sender: s } = await sender({ DD_LOGS_CONFIG_LOGS_DD_URL: target.url });
    for (let i = 0; i < 2500; i++) s.send(entry(`line ${i}`, i));
    const big = 'b'.repeat(900 * 1024);
    for (let i = 0; i < 12; i++) s.send(entry(big, i));
    // JSON escaping makes this one bigger than 1 MB once encoded: cut and marked.
    s.send(entry('\u0001'.repeat(400 * 1024), 0));
    await app.stop();
    const payloads = target.payloads('logs');
    const sizes = payloads.map((r) => (r.decoded?.kind === 'logs' ? r.decoded.payload.length : 0));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2500 + 12 + 1);
    for (const r of payloads) {
      const raw = gunzipSync(r.body);
      expect(raw.length).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
      const logs = JSON.parse(raw.toString()) as unknown[];
      expect(logs.length).toBeLessThanOrEqual(MAX_PAYLOAD_ENTRIES);
      for (const log of logs) expect(Buffer.byteLength(JSON.stringify(log))).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
    }
    const cut = target.logs().filter((l) => l.message.endsWith('...TRUNCATED...'));
    expect(cut).toHaveLength(1);
    expect(app.telemetry()['LogSender']).toMatchObject({ 'logs.sent': 2513, 'logs.cut': 1 });
  });

  it("retries through the forwarder's worker: a 503 then a 202 delivers each log once", async () => {
    const target = await intake({ sequences: { logs: [{ status: 503 }] } });
    const { app, sender: s } = await sender({ DD_LOGS_CONFIG_LOGS_DD_URL: target.url });
    s.send(entry('retried'));
    await app.stop(); // the stop drain sends the retry queue once more
    expect(target.requests.filter((r) => r.route === 'logs').map((r) => r.status)).toEqual([503, 202]);
    expect(target.logs().map((l) => l.message)).toEqual(['retried']);
    expect(app.telemetry()['LogSender']).toMatchObject({ 'logs.sent': 1, 'logs.dropped': 0 });
  });

  it("goes through the forwarder's proxy settings (proxy.http)", async () => {
    const target = await intake();
    const proxy = await startTestProxy();
    closers.push(() => proxy.close());
    const { app, sender: s } = await sender({ DD_LOGS_CONFIG_LOGS_DD_URL: target.url, DD_PROXY_HTTP: proxy.url });
    s.send(entry('proxied'));
    await app.stop();
    expect(proxy.requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([`${target.url}/api/v2/logs`]);
    expect(target.logs().map((l) => l.message)).toEqual(['proxied']);
  });

  it('holds at most batch_max_concurrent_send payloads in flight and payload_channel_size waiting, says when it is full, and loses none', async () => {
    const target = await intake({ sequences: { logs: Array.from({ length: 4 }, () => ({ delayMs: 300 })) } });
    const { app, sender: s } = await sender({ DD_LOGS_CONFIG_LOGS_DD_URL: target.url, DD_LOGS_CONFIG_BATCH_MAX_CONCURRENT_SEND: '1', DD_LOGS_CONFIG_PAYLOAD_CHANNEL_SIZE: '2' });
    expect(s.whenReady()).toBeUndefined();
    // Four full batches: one in flight, two waiting, the fourth beyond the bound.
    for (let i = 0; i < 4 * MAX_PAYLOAD_ENTRIES; i++) s.send(entry(`line ${i}`, i));
    const room = s.whenReady();
    expect(room).toBeInstanceOf(Promise);
    await new Promise((r) => setTimeout(r, 100));
    const held = app.telemetry()['LogSender'];
    expect(held).toMatchObject({ inflight: 1, 'queue.high': 2, 'queue.retry': 1 });
    await room;
    expect(s.whenReady()).toBeUndefined();
    expect(app.telemetry()['LogSender']?.['inflight']).toBeLessThanOrEqual(1);
    await app.stop();
    expect(target.logs().map((l) => l.message)).toHaveLength(4 * MAX_PAYLOAD_ENTRIES);
    expect(app.telemetry()['LogSender']).toMatchObject({ 'logs.sent': 4 * MAX_PAYLOAD_ENTRIES, 'logs.dropped': 0 });
  });

  it('when the intake never answers, the stop ends within its budget and counts and names what was not sent', async () => {
    const target = await intake({ sequences: { logs: Array.from({ length: 10 }, () => ({ hang: true })) } });
    const { app, sender: s, logger } = await sender({ DD_LOGS_CONFIG_LOGS_DD_URL: target.url });
    for (let i = 0; i < 30; i++) s.send(entry(`stuck ${i}`, i));
    await new Promise((r) => setTimeout(r, 200)); // the batch is sent and hangs
    const result = await app.stop({ timeoutMs: 500 }).catch((error: { result?: unknown }) => error.result);
    const stage = (result as { stages: { component: string; pending: Record<string, number> }[] }).stages.find((st) => st.component === 'LogSender');
    expect(stage?.pending).toMatchObject({ queued_logs: 30, inflight: 1 });
    expect(app.telemetry()['LogSender']).toMatchObject({ 'logs.sent': 0, 'logs.dropped': 30, queued_logs: 0 });
    expect(logger.lines.some((l) => l.msg.includes('30 log(s) not sent'))).toBe(true);
  });
});
