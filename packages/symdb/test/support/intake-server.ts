import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface MultipartPart {
  readonly name: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly parts: readonly MultipartPart[];
  /** The gunzipped `file` part, parsed. */
  readonly envelope: Envelope;
  /** The `event` part, parsed. */
  readonly event: Record<string, unknown>;
  readonly status: number;
}

export interface Envelope {
  readonly service: string;
  readonly version: string;
  readonly env: string;
  readonly language: string;
  readonly upload_id: string;
  readonly batch_num: number;
  readonly scopes: { scope_type: string; name: string; [key: string]: unknown }[];
  readonly final: boolean;
}

/**
 * A real HTTP intake on 127.0.0.1 that decodes what the symdb uploader posts: it splits the
 * multipart body on its boundary, gunzips the `file` part and parses both JSON documents.
 * `statuses` are answered in order (then 200).
 */
export class IntakeServer {
  public readonly requests: ReceivedRequest[] = [];
  readonly #server: Server;
  readonly #statuses: number[];

  private constructor(server: Server, statuses: number[]) {
    this.#server = server;
    this.#statuses = statuses;
  }

  public static async start(statuses: number[] = []): Promise<IntakeServer> {
    const server = createServer();
    const intake = new IntakeServer(server, [...statuses]);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const status = intake.#statuses.shift() ?? 200;
        intake.requests.push(decode(req.method ?? '', req.url ?? '', req.headers, body, status));
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(status < 300 ? '{}' : '{"error":"try later"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return intake;
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/symdb/v1/input`;
  }

  /** The requests answered 2xx: the batches that were delivered. */
  public get delivered(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status < 300);
  }

  public async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function decode(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, status: number): ReceivedRequest {
  const boundary = /boundary=(.+)$/.exec(headers['content-type'] ?? '')?.[1];
  if (boundary === undefined) throw new Error(`not multipart: ${headers['content-type']}`);
  const parts = splitMultipart(body, boundary);
  const file = parts.find((p) => p.name === 'file');
  const event = parts.find((p) => p.name === 'event');
  if (file === undefined || event === undefined) throw new Error('missing file or event part');
  return {
    method,
    path,
    headers,
    body,
    parts,
    envelope: JSON.parse(gunzipSync(file.data).toString('utf8')) as Envelope,
    event: JSON.parse(event.data.toString('utf8')) as Record<string, unknown>,
    status,
  };
}

/** RFC 7578: parts separated by `--boundary`, each with headers, a blank line, then data up to `\r\n--boundary`. */
export function splitMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at !== 0) throw new Error('body does not start with the boundary');
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break; // closing delimiter
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
    if (headerEnd < 0 || next < 0) throw new Error('truncated multipart body');
    const headerText = body.subarray(afterDelimiter + 2, headerEnd).toString('utf8');
    const disposition = /content-disposition: form-data; name="([^"]+)"(?:; filename="([^"]+)")?/i.exec(headerText);
    const contentType = /content-type: (.+)/i.exec(headerText)?.[1]?.trim();
    if (disposition?.[1] === undefined) throw new Error(`part without a name: ${headerText}`);
    parts.push({ name: disposition[1], filename: disposition[2], contentType, data: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}
