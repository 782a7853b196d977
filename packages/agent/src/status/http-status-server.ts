import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { commonKeys } from '@agentkit/config';
import {
  AGENTKIT_VERSION,
  closeHttpServers,
  CONFIG,
  HostGuard,
  inject,
  injectable,
  LOGGER,
  TELEMETRY,
  type ConfigReader,
  type Logger,
  type TelemetrySource,
  type TelemetryReader,
  monotonicNowMs,
} from '@agentkit/core';
import { statusKeys } from './config-keys.js';
import { StatusErrorCode, StatusServerError } from './errors.js';
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
import type { StatusDocument, StatusServer } from './status-server.def.js';

/** Loopback only: the server has no authentication, so it must not be reachable from elsewhere. */
export const STATUS_HOST = '127.0.0.1';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

/**
 * The status server on node:http, bound to 127.0.0.1:`cmd_port`. Routes: `GET /status` and
 * `GET /` (JSON {@link StatusDocument}), `GET /telemetry` (Prometheus text); HEAD too; anything
 * else is 404 (405 for other methods). Each answer is built synchronously from TELEMETRY, so a
 * request costs one snapshot of every component and never waits on the pipeline. On stop it
 * closes idle keep-alive connections, answers what is in flight with `Connection: close`, and
 * cuts the rest if the stop signal aborts.
 */
@injectable()
export class HttpStatusServer implements StatusServer, TelemetrySource {
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #telemetry: TelemetryReader;
  /** Answers only to its own names (DNS rebinding); see HostGuard. */
  readonly #guard: HostGuard;
  #server: Server | undefined;
  #port = 0;
  #stopping = false;
  #startedAtMs = 0;
  #startedAtPerfMs = 0;
  #requests = 0;
  #notFound = 0;
  #errors = 0;

  public constructor(@inject(CONFIG) config: ConfigReader, @inject(LOGGER) logger: Logger, @inject(TELEMETRY) telemetry: TelemetryReader) {
    this.#config = config;
    this.#log = logger.child({ component: 'StatusServer' });
    this.#telemetry = telemetry;
    this.#guard = new HostGuard({ allowedHosts: config.get(commonKeys.localServerAllowedHosts), logger: this.#log });
  }

  public get url(): string {
    return this.#server === undefined ? '' : `http://${STATUS_HOST}:${this.#port}`;
  }

  public get port(): number {
    return this.#server === undefined ? 0 : this.#port;
  }

  /** Listens on `cmd_port`; fails with ERR_AGENT_STATUS_PORT_IN_USE (naming `cmd_port`) when the port is taken. */
  public async onStart(): Promise<void> {
    const port = this.#config.get(statusKeys.cmdPort);
    if (port < 0) {
      // The bundle is normally off at -1; provided by hand, the server still honours it.
      this.#log.debug('status server off (cmd_port = -1)');
      return;
    }
    const server = createServer(this.#onRequest);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host: STATUS_HOST }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      throw listenError(port, error);
    }
    server.on('error', (error) => {
      this.#errors += 1;
      this.#log.warn({ err: error }, 'status server error');
    });
    const address = server.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : port;
    this.#server = server;
    this.#stopping = false;
    this.#startedAtMs = Date.now();
    this.#startedAtPerfMs = monotonicNowMs();
    this.#log.info({ url: this.url }, `status server listening on ${this.url} (agentkit status, /telemetry)`);
  }

  public async onStop(signal?: AbortSignal): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    this.#stopping = true;
    try {
      await closeHttpServers([server], signal);
    } finally {
      this.#guard.flushLog();
    }
  }

  public telemetry(): Record<string, number> {
    return { requests: this.#requests, not_found: this.#notFound, errors: this.#errors, ...this.#guard.telemetry() };
  }

  /** The body of `GET /status`. */
  public document(): StatusDocument {
    return {
      version: AGENTKIT_VERSION,
      pid: process.pid,
      startedAt: new Date(this.#startedAtMs).toISOString(),
      uptimeSeconds: this.#uptimeSeconds(),
      components: this.#telemetry.snapshot(),
    };
  }

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#requests += 1;
    if (!this.#guard.admit(req, res)) return;
    try {
      // During the stop, a keep-alive connection must not stay open for a next request.
      if (this.#stopping) res.setHeader('Connection', 'close');
      const head = req.method === 'HEAD';
      if (req.method !== 'GET' && !head) {
        res.setHeader('Allow', 'GET, HEAD');
        send(res, 405, TEXT_CONTENT_TYPE, `${req.method ?? ''} not allowed: use GET\n`, head);
        return;
      }
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      switch (path) {
        case '/':
        case '/status':
          send(res, 200, JSON_CONTENT_TYPE, `${JSON.stringify(this.document(), null, 2)}\n`, head);
          return;
        case '/telemetry':
          send(res, 200, PROMETHEUS_CONTENT_TYPE, formatPrometheus(this.#telemetry.snapshot(), { version: AGENTKIT_VERSION, uptimeSeconds: this.#uptimeSeconds() }), head);
          return;
        default:
          this.#notFound += 1;
          send(res, 404, TEXT_CONTENT_TYPE, 'not found: the routes are /status and /telemetry\n', head);
      }
    } catch (error) {
      // A component's telemetry() threw: answer 500 rather than leave the client hanging.
      this.#errors += 1;
      this.#log.warn({ err: error, url: req.url }, 'status request failed');
      if (!res.headersSent) send(res, 500, TEXT_CONTENT_TYPE, 'internal error: see the agent log\n', false);
      else res.destroy();
    }
  };

  #uptimeSeconds(): number {
    return Math.round(monotonicNowMs() - this.#startedAtPerfMs) / 1000;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

function listenError(port: number, error: unknown): StatusServerError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return new StatusServerError(
      StatusErrorCode.PortInUse,
      `cmd_port: ${STATUS_HOST}:${port} is already in use (another agent running?); set cmd_port (DD_CMD_PORT) to a free port, 0 for any free port, or -1 to turn the status server off`,
      { cause: error },
    );
  }
  return new StatusServerError(StatusErrorCode.Listen, `cmd_port: cannot listen on ${STATUS_HOST}:${port}: ${(error as Error).message}`, { cause: error });
}
