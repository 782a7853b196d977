import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { SecureVersion } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { decodePayload, decodedItemCount, payloadKindOf } from '@agentkit/serializer';
import type {
  DecodedEvent,
  DecodedHostMetadata,
  DecodedMetricSeries,
  DecodedPayload,
  DecodedPayloadKind,
  DecodedSeriesV1,
  DecodedServiceCheck,
  DecodedSketch,
} from '@agentkit/serializer';

/** How the intake answers one request. Everything is optional: `{}` is a plain 202. */
export interface IntakeResponse {
  /** HTTP status (default 202 for a payload that decodes, 400 when it does not). */
  readonly status?: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering (or resetting). */
  readonly delayMs?: number;
  /** Reset the TCP connection instead of answering. */
  readonly reset?: boolean;
  /** Never answer; the connection stays open until the client gives up or the intake closes. */
  readonly hang?: boolean;
}

/** One request as received, decoded with @agentkit/serializer's decoders. */
export interface RecordedRequest {
  /** 0 for the first request received. */
  readonly index: number;
  readonly method: string;
  /** The path with its query string. */
  readonly path: string;
  /** As node:http gives them: lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** The raw (compressed) body. */
  readonly body: Buffer;
  /** Undefined for requests that are not payloads (validate) or that failed to decode. */
  readonly decoded: DecodedPayload | undefined;
  readonly decodeError: string | undefined;
  /** The status answered; 0 for a reset or a hang. */
  readonly status: number;
  /** A payload that decoded and was answered 2xx: what the intake keeps. */
  readonly accepted: boolean;
}

/** Picks the response for a request; undefined falls through to the queue, then the default. */
export type IntakeResponder = (request: Omit<RecordedRequest, 'status' | 'accepted'>) => IntakeResponse | undefined;

export interface TestIntakeOptions {
  /** Responses for payload requests, used in order, one per request; then the default. */
  readonly responses?: readonly IntakeResponse[];
  /** Consulted first for every request (API key validation included). */
  readonly respond?: IntakeResponder;
  /** Answer to `GET /api/v1/validate` (default 200 `{"valid":true}`). */
  readonly validateResponse?: IntakeResponse;
  /**
   * Serve HTTPS with this certificate (`makeTestCertificate()`); `url` is then `https://…`.
   * `maxVersion` caps the TLS versions offered (e.g. `'TLSv1.2'` to test `min_tls_version`).
   */
  readonly tls?: { readonly cert: string; readonly key: string; readonly maxVersion?: SecureVersion };
}

export interface WaitOptions {
  /** Default 5000. */
  readonly timeoutMs?: number;
}

const DEFAULT_WAIT_TIMEOUT_MS = 5000;
const VALIDATE_PATH = '/api/v1/validate';

/**
 * A real local HTTP intake on 127.0.0.1 (a free port) for tests: decodes every payload format
 * the serializer writes, and the host metadata (told apart from events on `/intake/`), records
 * each request, and answers as it is told (status codes,
 * delays, connection resets, hangs) so forwarder fault tests can run against it.
 */
export class TestIntake {
  /** Every request, in arrival order. */
  public readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  readonly #queue: IntakeResponse[];
  readonly #validate: IntakeResponse;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #waiters = new Set<() => void>();
  #respond: IntakeResponder | undefined;
  readonly #scheme: 'http' | 'https';
  /** TLS handshakes that failed (a client that refused the certificate or the version). */
  readonly #tlsErrors: string[] = [];
  #port = 0;

  private constructor(options: TestIntakeOptions) {
    this.#queue = [...(options.responses ?? [])];
    this.#respond = options.respond;
    this.#validate = options.validateResponse ?? { status: 200, body: '{"valid":true}' };
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.#onRequest(req, res);
    const tls = options.tls;
    this.#scheme = tls === undefined ? 'http' : 'https';
    if (tls === undefined) {
      this.#server = createServer(handler);
    } else {
      const server = createHttpsServer({ cert: tls.cert, key: tls.key, ...(tls.maxVersion === undefined ? {} : { maxVersion: tls.maxVersion }) }, handler);
      server.on('tlsClientError', (error: Error & { code?: string }) => this.#tlsErrors.push(error.code ?? error.message));
      this.#server = server;
    }
  }

  /** Starts an intake; close it with `close()` (in an afterEach). */
  public static async start(options: TestIntakeOptions = {}): Promise<TestIntake> {
    const intake = new TestIntake(options);
    await new Promise<void>((resolve, reject) => {
      intake.#server.once('error', reject);
      intake.#server.listen(0, '127.0.0.1', () => resolve());
    });
    intake.#port = (intake.#server.address() as AddressInfo).port;
    return intake;
  }

  public get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:<port>` (`https://` with `tls`): give it to the forwarder as `dd_url`. */
  public get url(): string {
    return `${this.#scheme}://127.0.0.1:${this.#port}`;
  }

  /** The codes of TLS handshakes that failed on this intake, in order (HTTPS only). */
  public get tlsErrors(): readonly string[] {
    return this.#tlsErrors;
  }

  /** Queues responses for the next payload requests. */
  public enqueue(...responses: IntakeResponse[]): void {
    this.#queue.push(...responses);
  }

  /** Replaces the responder consulted first for every request (undefined removes it). */
  public setResponder(respond: IntakeResponder | undefined): void {
    this.#respond = respond;
  }

  /** Accepted payloads (decoded and answered 2xx), optionally of one kind. */
  public payloads(kind?: DecodedPayloadKind): RecordedRequest[] {
    return this.requests.filter((r) => r.accepted && (kind === undefined || r.decoded?.kind === kind));
  }

  /** Items (series, sketches, events, checks) in accepted payloads, optionally of one kind. */
  public itemCount(kind?: DecodedPayloadKind): number {
    let n = 0;
    for (const r of this.payloads(kind)) if (r.decoded !== undefined) n += decodedItemCount(r.decoded);
    return n;
  }

  public series(): DecodedMetricSeries[] {
    return this.#collect((d) => (d.kind === 'series_v2' ? d.payload.series : []));
  }

  public seriesV1(): DecodedSeriesV1[] {
    return this.#collect((d) => (d.kind === 'series_v1' ? d.payload.series : []));
  }

  public sketches(): DecodedSketch[] {
    return this.#collect((d) => (d.kind === 'sketches_v2' ? d.payload.sketches : []));
  }

  /** Events of every source type group, flattened. */
  public events(): DecodedEvent[] {
    return this.#collect((d) => (d.kind === 'intake' ? Object.values(d.payload.events).flat() : []));
  }

  public serviceChecks(): DecodedServiceCheck[] {
    return this.#collect((d) => (d.kind === 'check_run_v1' ? d.payload : []));
  }

  /** Host metadata payloads (`/intake/` bodies that are not events), in arrival order. */
  public hostMetadata(): DecodedHostMetadata[] {
    return this.#collect((d) => (d.kind === 'host_metadata' ? [d.payload] : []));
  }

  /** Resolves once `predicate()` holds (checked at each request); rejects after the timeout. */
  public waitFor(predicate: () => boolean, what = 'condition', options: WaitOptions = {}): Promise<void> {
    if (predicate()) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`test intake: timed out after ${timeoutMs} ms waiting for ${what} (${this.requests.length} request(s) received)`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  /** Waits until `n` requests (of any kind, whatever the answer) were received. */
  public waitForRequests(n: number, options?: WaitOptions): Promise<void> {
    return this.waitFor(() => this.requests.length >= n, `${n} request(s)`, options);
  }

  /** Waits until accepted payloads hold at least `n` items (of `kind`, when given). */
  public waitForItems(n: number, kind?: DecodedPayloadKind, options?: WaitOptions): Promise<void> {
    return this.waitFor(() => this.itemCount(kind) >= n, `${n} ${kind ?? 'item'}(s)`, options);
  }

  /** Stops listening and drops every open connection (hanging requests included). */
  public async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  #collect<T>(pick: (decoded: DecodedPayload) => readonly T[]): T[] {
    const out: T[] = [];
    for (const r of this.payloads()) if (r.decoded !== undefined) out.push(...pick(r.decoded));
    return out;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => this.#answer(req, res, Buffer.concat(chunks)));
  }

  #answer(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    let decoded: DecodedPayload | undefined;
    let decodeError: string | undefined;
    const isPayload = payloadKindOf(path) !== undefined;
    if (isPayload) {
      try {
        decoded = decodePayload(path, req.headers, body);
      } catch (error) {
        decodeError = (error as Error).message;
      }
    }
    const seen = { index: this.requests.length, method, path, headers: req.headers, body, decoded, decodeError };
    const response = this.#pick(seen, isPayload, path);
    const status = response.reset === true || response.hang === true ? 0 : (response.status ?? defaultStatus(isPayload, decoded));
    this.requests.push({ ...seen, status, accepted: decoded !== undefined && status >= 200 && status < 300 });
    for (const check of [...this.#waiters]) check();
    this.#after(response.delayMs ?? 0, () => {
      if (response.hang === true) return;
      if (response.reset === true) {
        req.socket.resetAndDestroy();
        return;
      }
      const text = response.body ?? (status < 300 ? '{"status":"ok"}' : JSON.stringify({ errors: [decodeError ?? `status ${status}`] }));
      res.writeHead(status, { 'Content-Type': 'application/json', ...response.headers });
      res.end(text);
    });
  }

  #pick(seen: Omit<RecordedRequest, 'status' | 'accepted'>, isPayload: boolean, path: string): IntakeResponse {
    const chosen = this.#respond?.(seen);
    if (chosen !== undefined) return chosen;
    if (path.startsWith(VALIDATE_PATH)) return this.#validate;
    if (isPayload) return this.#queue.shift() ?? {};
    return { status: 404 };
  }

  #after(delayMs: number, fn: () => void): void {
    if (delayMs <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, delayMs);
    this.#timers.add(timer);
  }
}

function defaultStatus(isPayload: boolean, decoded: DecodedPayload | undefined): number {
  if (!isPayload) return 404;
  return decoded === undefined ? 400 : 202;
}

/** Starts a real local test intake: `const intake = await startTestIntake(); … await intake.close()`. */
export function startTestIntake(options?: TestIntakeOptions): Promise<TestIntake> {
  return TestIntake.start(options);
}
