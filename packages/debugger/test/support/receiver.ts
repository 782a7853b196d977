import { createServer, request, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Logger } from '@agentkit/core';
import type { DebuggerProxy } from '../../src/index.js';

/**
 * A real HTTP server standing in for the APM receiver on the trace agent port: it hands the
 * proxy's paths to `proxy.handle` and answers 404 for anything else, as the receiver does.
 */
export class TestReceiver {
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  public static async start(proxy: DebuggerProxy): Promise<TestReceiver> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      if (proxy.paths.includes(path)) {
        void proxy.handle(req, res);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TestReceiver(server);
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  public async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** One POST with node:http (no keep-alive); `body` may be a stream (sent chunked). Resolves with status 0 when the connection is cut. */
export function post(url: string, body: Buffer | Readable, headers: OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: Buffer.isBuffer(body) ? { 'Content-Length': body.length, ...headers } : headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: 0, headers: {}, text: error.code }) : reject(error)));
    if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** A scope envelope as tracers upload it. */
export function symdbEnvelope(service: string, files: readonly string[]): object {
  return {
    service,
    env: 'staging',
    version: '1.4.2',
    language: 'javascript',
    scopes: files.map((f) => ({ scope_type: 'module', name: f, source_file: f, start_line: 0, end_line: 20, scopes: [{ scope_type: 'function', name: 'handler', start_line: 2, end_line: 9 }] })),
  };
}

/**
 * A symbol database upload framed as the tracers frame it: `multipart/form-data` with an
 * `event` part (`event.json`, the batch's metadata) and a gzip'd `file` part holding the
 * scopes, built by the platform's FormData (not by agentkit's own encoder).
 */
export async function symdbUpload(service: string, files: readonly string[] = ['src/app.js', 'src/db.js']): Promise<{ body: Buffer; contentType: string; fileBytes: number }> {
  const file = gzipSync(Buffer.from(JSON.stringify(symdbEnvelope(service, files))));
  const form = new FormData();
  const event = { ddsource: 'dd_debugger', service, runtimeId: 'b1f0c7d2-rt', parentId: 'p-1', type: 'symdb', attachmentSize: file.length };
  form.append('event', new Blob([JSON.stringify(event)], { type: 'application/json' }), 'event.json');
  form.append('file', new Blob([file], { type: 'application/gzip' }), `symdb_${service}.gz`);
  const encoded = new Response(form);
  const contentType = encoded.headers.get('content-type') ?? '';
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType, fileBytes: file.length };
}

/** A logger that keeps every line (object and message, as JSON), to check what was said and that no secret was. */
export function recordingLogger(lines: string[] = []): Logger & { readonly lines: string[] } {
  const write = (level: string) => (obj: object | string, msg?: string) => {
    lines.push(JSON.stringify({ level, obj: typeof obj === 'string' ? undefined : obj, msg: typeof obj === 'string' ? obj : msg }, (_k, v: unknown) => (v instanceof Error ? v.message : v)));
  };
  const logger = { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: () => logger, lines };
  return logger;
}
