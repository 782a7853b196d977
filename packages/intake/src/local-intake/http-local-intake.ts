import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { commonKeys } from '@agentkit/config';
import { CONFIG, closeHttpServers, DropCounter, HostGuard, LOGGER, TELEMETRY, inject, injectable, optional, tokenName } from '@agentkit/core';
import type { ConfigKeyRef, ConfigReader, Logger, TelemetryReader, TelemetrySnapshot, TelemetrySource } from '@agentkit/core';
import { intakeKeys } from '../config-keys.js';
import { IntakeError, IntakeErrorCode } from '../errors.js';
import { IntakeHistory } from '../history/intake-history.js';
import { IntakeRouter } from '../http/intake-router.js';
import { IntakeStats } from '../http/intake-stats.js';
import { StaticAssets } from '../http/static-assets.js';
import {
  LOCAL_INTAKE,
  LOCAL_INTAKE_OPTIONS,
  type LocalEvent,
  type LocalLog,
  type LocalHost,
  type LocalIntake,
  type LocalIntakeOptions,
  type LocalIntakeStats,
  type LocalSeries,
  type LocalServiceCheck,
  type LocalSketch,
  type LocalSymdbUpload,
  type LocalDebuggerUpload,
} from './local-intake.def.js';

/** The Datadog intake's own limit is lower; the forwarder never sends more than a few MiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How long `onStop()` without a signal lets requests in flight finish before it closes their connections. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 2000;
const HOST = '127.0.0.1';

type State = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * The local intake on node:http, bound to 127.0.0.1:`local_intake_port`. Start returns once it
 * listens; stop answers the requests in flight (with `Connection: close`), closes idle
 * keep-alive connections at once and the rest when the stop signal aborts.
 */
@injectable()
export class HttpLocalIntake implements LocalIntake, TelemetrySource {
  readonly #log: Logger;
  readonly #drops: DropCounter;
  readonly #history: IntakeHistory;
  readonly #stats = new IntakeStats();
  readonly #router: IntakeRouter;
  /** Answers only to its own names (DNS rebinding); see HostGuard. */
  readonly #guard: HostGuard;
  readonly #configuredPort: number;
  readonly #options: LocalIntakeOptions;
  /** Responses a `hang` fault keeps unanswered; dropped when the stop begins. */
  readonly #held = new Set<ServerResponse>();
  /** Aborts when every connection is closed at stop: ends a fault's delay. */
  readonly #closing = new AbortController();
  #state: State = 'created';
  #server: Server | undefined;
  #port: number | undefined;

  public constructor(
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
    @inject(TELEMETRY) telemetry: TelemetryReader,
    @optional() @inject(LOCAL_INTAKE_OPTIONS) options: LocalIntakeOptions = {},
  ) {
    this.#log = logger.child({ component: 'LocalIntake' });
    this.#drops = new DropCounter(this.#log);
    this.#options = options;
    this.#configuredPort = options.port ?? config.get(commonKeys.localIntakePort);
    this.#guard = new HostGuard({ allowedHosts: config.get(commonKeys.localServerAllowedHosts), logger: this.#log });
    this.#history = new IntakeHistory(
      {
        maxPoints: limit(config, intakeKeys.maxPoints),
        maxContexts: limit(config, intakeKeys.maxContexts),
        maxEvents: limit(config, intakeKeys.maxEvents),
      },
      this.#drops,
    );
    this.#router = new IntakeRouter({
      history: this.#history,
      stats: this.#stats,
      drops: this.#drops,
      telemetry,
      assets: new StaticAssets(),
      log: this.#log,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      stopping: () => this.#state === 'stopping' || this.#state === 'stopped',
      localStats: () => this.stats(),
      ownComponentName: tokenName(LOCAL_INTAKE),
      faults: options.faults,
      onRequest: options.onRequest,
      hold: (res) => {
        this.#held.add(res);
        res.once('close', () => this.#held.delete(res));
      },
      closing: this.#closing.signal,
    });
  }

  public get url(): string {
    return `${this.#options.tls === undefined ? 'http' : 'https'}://${HOST}:${this.port}`;
  }

  public get port(): number {
    if (this.#port === undefined) {
      throw new IntakeError(IntakeErrorCode.NotStarted, 'the local intake has no address before it starts listening (read url/port after start)');
    }
    return this.#port;
  }

  /**
   * Listens on 127.0.0.1:`local_intake_port`. Rejects with `ERR_INTAKE_PORT_IN_USE` when the
   * port is taken, `ERR_INTAKE_LISTEN` for any other listen error.
   */
  public async onStart(): Promise<void> {
    if (this.#state !== 'created') return;
    this.#state = 'starting';
    const server = await this.#createServer();
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.#onClientError(error, socket));
    try {
      await listen(server, this.#configuredPort);
    } catch (error) {
      this.#state = 'stopped';
      throw this.#listenError(error as NodeJS.ErrnoException);
    }
    server.on('error', (error) => this.#log.error({ err: error }, 'local intake: server error'));
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    this.#state = 'running';
    this.#log.info({ url: this.url }, 'local intake listening');
  }

  /**
   * Answers what is in flight, then closes every connection; when `signal` aborts, closes them
   * at once. Without a signal (an intake from `startLocalIntake`), the limit is
   * `DEFAULT_CLOSE_TIMEOUT_MS`. Idempotent.
   */
  public async onStop(signal: AbortSignal = AbortSignal.timeout(DEFAULT_CLOSE_TIMEOUT_MS)): Promise<void> {
    const server = this.#server;
    if (this.#state !== 'running' || server === undefined) {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    // A hanging fault would only wait out the stop budget.
    for (const res of this.#held) res.destroy();
    // Idle keep-alive sockets go now; busy ones close after their answer (Connection: close).
    try {
      await closeHttpServers([server], signal, () => this.#closing.abort());
    } finally {
      this.#state = 'stopped';
      this.#drops.flushLog();
      this.#guard.flushLog();
      this.#log.info(this.#stats.items(), 'local intake stopped');
    }
  }

  public series(): LocalSeries[] {
    return this.#history.series();
  }

  public sketches(): LocalSketch[] {
    return this.#history.sketches();
  }

  public events(): LocalEvent[] {
    return this.#history.events();
  }

  public serviceChecks(): LocalServiceCheck[] {
    return this.#history.serviceChecks();
  }

  public symdbUploads(): LocalSymdbUpload[] {
    return this.#history.symdbUploads();
  }

  public debuggerUploads(): LocalDebuggerUpload[] {
    return this.#history.debuggerUploads();
  }

  public hosts(): LocalHost[] {
    return this.#history.hosts();
  }

  public logs(): LocalLog[] {
    return this.#history.logs();
  }

  public stats(): LocalIntakeStats {
    const dropped: Record<string, number> = {};
    for (const [name, n] of Object.entries(this.#drops.snapshot(''))) dropped[name.slice(1)] = n;
    return {
      requests: this.#stats.requestsByRoute(),
      items: this.#stats.items(),
      dropped,
      evicted: this.#history.evicted,
      stored: this.#history.counts(),
    };
  }

  public telemetry(): TelemetrySnapshot {
    const out: Record<string, number> = { requests: this.#stats.requests };
    for (const [kind, n] of Object.entries(this.#stats.payloads())) out[`payloads.${kind}`] = n;
    for (const [kind, n] of Object.entries(this.#stats.items())) out[`items.${kind}`] = n;
    for (const [kind, n] of Object.entries<number>(this.#history.counts())) out[`stored.${kind}`] = n;
    out['evicted'] = this.#history.evicted;
    return { ...out, ...this.#guard.telemetry(), ...this.#drops.snapshot() };
  }

  /** node:https only for an intake told to serve TLS: `agentkit run`'s intake does not load it. */
  async #createServer(): Promise<Server> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      if (this.#guard.admit(req, res)) this.#router.handle(req, res);
    };
    const tls = this.#options.tls;
    if (tls === undefined) return createServer(handler);
    const { createServer: createHttpsServer } = await import('node:https');
    const server = createHttpsServer({ cert: tls.cert, key: tls.key, ...(tls.maxVersion === undefined ? {} : { maxVersion: tls.maxVersion }) }, handler);
    server.on('tlsClientError', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      this.#drops.drop('tls_handshake', 1, { error: code });
      this.#options.onTlsError?.(code);
    });
    return server;
  }

  /** Malformed HTTP (not a dropped connection) is counted; Node's own answer is a bare 400. */
  #onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    this.#drops.drop('bad_http', 1, { error: error.message });
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  }

  #listenError(error: NodeJS.ErrnoException): IntakeError {
    const where = `${HOST}:${this.#configuredPort}`;
    if (error.code === 'EADDRINUSE') {
      return new IntakeError(
        IntakeErrorCode.PortInUse,
        `the local intake cannot listen on ${where}: the port is in use (local_intake_port). Another "agentkit intake" may already run there; stop it, or set local_intake_port (DD_LOCAL_INTAKE_PORT) to a free port (0 picks one).`,
        { cause: error },
      );
    }
    return new IntakeError(
      IntakeErrorCode.Listen,
      `the local intake cannot listen on ${where}: ${error.message}. Set local_intake_port (DD_LOCAL_INTAKE_PORT) to a port this user may bind (0 picks a free one).`,
      { cause: error },
    );
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host: HOST });
  });
}

/** A loaded Config has validated the key already; a plain ConfigReader (tests, custom apps) may hold anything. */
function limit(config: ConfigReader, key: ConfigKeyRef<number>): number {
  const value = config.get(key);
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : key.default;
}
