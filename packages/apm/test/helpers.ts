import { request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import { apmBundle, apmConfigKeys, APM_RECEIVER, type ApmReceiver } from '@agentkit/apm';
import { commonConfigKeys, loadConfig, type Config } from '@agentkit/config';
import { provide, bundle, type App, type Bundle } from '@agentkit/core';
import { createTestApp, RecordingLogger } from '@agentkit/core/testing';
import { DEBUGGER_PROXY, type DebuggerProxy } from '@agentkit/debugger';
import { dogstatsdBundle, dogstatsdConfigKeys } from '@agentkit/dogstatsd';

/** A real Config with the keys the receiver and the DogStatsD server read; `values` are runtime overrides. */
export function apmConfig(values: Record<string, unknown> = {}, env: Record<string, string> = {}): Config {
  return loadConfig({ keys: [...commonConfigKeys, ...dogstatsdConfigKeys, ...apmConfigKeys], env: { DD_HOSTNAME: 'apm-test', ...env }, overrides: values });
}

/** A DebuggerProxy that answers 202 and records what it was handed, body included. */
export class RecordingDebuggerProxy implements DebuggerProxy {
  public readonly paths = ['/debugger/v1/input', '/debugger/v1/diagnostics', '/debugger/v2/input', '/symdb/v1/input'];
  public readonly handled: { path: string; method: string; body: string }[] = [];

  public async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.handled.push({ path: req.url ?? '', method: req.method ?? '', body: Buffer.concat(chunks).toString() });
    res.writeHead(202, { 'Content-Type': 'application/json' });
    res.end('{}');
  }
}

export interface ApmTestApp {
  readonly app: App;
  readonly demux: FakeDemultiplexer;
  readonly receiver: ApmReceiver;
  readonly log: RecordingLogger;
}

/**
 * Starts the receiver with the real DogStatsD server feeding a FakeDemultiplexer, on a free
 * port (`apm_config.receiver_port: 0` would turn TCP off, so the port is found first).
 */
export async function startApm(
  port: number,
  values: Record<string, unknown> = {},
  options: { debuggerProxy?: DebuggerProxy; dogstatsd?: boolean } = {},
): Promise<ApmTestApp> {
  const demux = new FakeDemultiplexer();
  const log = new RecordingLogger();
  const items: Bundle[] = [fakeAggregatorBundle(demux), apmBundle];
  if (options.dogstatsd !== false) items.push(dogstatsdBundle);
  if (options.debuggerProxy !== undefined) items.push(bundle('debugger-fake', [provide(DEBUGGER_PROXY, { useValue: options.debuggerProxy })]));
  const app = createTestApp(items, { config: apmConfig({ dogstatsd_port: 0, 'apm_config.receiver_port': port, ...values }), logger: log });
  await app.start();
  return { app, demux, log, receiver: app.get(APM_RECEIVER) };
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** One HTTP request to 127.0.0.1:`port` (or a Unix socket), with exactly the headers given. */
export function send(
  target: { port: number } | { socketPath: string },
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const where = 'port' in target ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath };
    // A chunked request (Transfer-Encoding given) declares no length: the server finds out as it reads.
    const length = body === undefined || 'Transfer-Encoding' in headers ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
    const req = request({ ...where, method, path, headers: { ...length, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    // A server that answers before reading all of a large body closes the connection: the
    // answer still arrives, the rest of the write fails.
    req.on('error', reject);
    req.end(body);
  });
}
