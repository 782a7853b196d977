import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hostname as osHostname } from 'node:os';
import { isIP, type AddressInfo } from 'node:net';
import { commonKeys } from '@agentkit/config';
import { AGENTKIT_VERSION, closeHttpServers, DropCounter, HostGuard, type ConfigReader, type Logger } from '@agentkit/core';
import type { DebuggerProxy } from '@agentkit/debugger';
import { checkSocketPathLength, formatHostPort, listenAddress, removeSocketFile, removeStaleSocket, setSocketMode, type DogstatsdServer } from '@agentkit/dogstatsd';
import { apmKeys } from '../config-keys.js';
import type { ApmReceiver } from './apm-receiver.def.js';
import type { PreboundApmServer } from './prebound-tcp.js';
import { ApmRouter } from './apm-router.js';
import { DogstatsdProxy } from './dogstatsd-proxy.js';
import { servedEndpoints } from './endpoints.js';
import { infoDocument } from './info.js';
import { TraceTally } from './trace-tally.js';

/**
 * The receiver on node:http: one handler behind a TCP server (`bind_host` or every interface
 * with `apm_config.apm_non_local_traffic`, port `apm_config.receiver_port`) and, when
 * configured, a Unix socket server. A port or socket it cannot listen on is logged as an error
 * and counted (`listen_errors`), and the agent runs on without it: in the Agent only the trace
 * agent process would stop, DogStatsD would go on.
 *
 * Every request passes core's HostGuard first (DNS rebinding, cross-site POSTs; see the
 * README): `Host` must be an IP address, `localhost`, `bind_host`, this machine's hostname,
 * `hostname`, or a name in `local_server_allowed_hosts`.
 *
 * On stop it stops listening, answers what is in flight (its DogStatsD lines still reach the
 * running DogStatsD server, which stops after it), and when its stop signal aborts cuts the
 * connections left (their requests are counted as `dropped.aborted`).
 */
export class HttpApmReceiver implements ApmReceiver {
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #guard: HostGuard;
  readonly #drops: DropCounter;
  readonly #traces: TraceTally;
  readonly #dogstatsd: DogstatsdProxy | undefined;
  readonly #router: ApmRouter;
  #tcp: Server | undefined;
  #unix: Server | undefined;
  #port = 0;
  #address = '';
  #socketPath = '';
  #stopping = false;
  #requests = 0;
  #inflight = 0;
  #errors = 0;
  #listenErrors = 0;

  readonly #prebound: PreboundApmServer | undefined;

  /** `prebound`: the TCP server, listening already, to take over instead of listening (see PreboundApmServer). */
  public constructor(config: ConfigReader, logger: Logger, server: DogstatsdServer | undefined, debuggerProxy: DebuggerProxy | undefined, prebound?: PreboundApmServer) {
    this.#config = config;
    this.#prebound = prebound;
    this.#log = logger.child({ component: 'ApmReceiver' });
    this.#guard = new HostGuard({ allowedHosts: allowedNames(config), boundHost: config.get(commonKeys.bindHost), logger: this.#log });
    this.#drops = new DropCounter(this.#log);
    this.#traces = new TraceTally(this.#log);
    this.#dogstatsd = server === undefined ? undefined : new DogstatsdProxy(server);
    let info: string | undefined;
    this.#router = new ApmRouter({
      log: this.#log,
      drops: this.#drops,
      maxPayloadBytes: config.get(apmKeys.maxPayloadSize),
      traces: this.#traces,
      dogstatsd: this.#dogstatsd,
      debuggerProxy,
      // Built on the first request: nothing of it is needed to start.
      info: () => (info ??= JSON.stringify(infoDocument(config, servedEndpoints(debuggerProxy?.paths ?? [])), null, '\t')),
    });
  }

  public get listening(): boolean {
    return this.#tcp !== undefined || this.#unix !== undefined;
  }

  public get port(): number {
    return this.#port;
  }

  public get address(): string {
    return this.#address;
  }

  public get socketPath(): string {
    return this.#socketPath;
  }

  public get url(): string {
    return this.#tcp === undefined ? '' : `http://${formatHostPort(this.#address, this.#port)}`;
  }

  public async onStart(): Promise<void> {
    this.#stopping = false;
    await this.#listenTcp();
    await this.#listenUnix();
    const where = [this.url, this.#socketPath === '' ? '' : `unix://${this.#socketPath}`].filter((w) => w !== '');
    if (where.length === 0) {
      this.#log.info('trace agent receiver not listening (apm_config.receiver_port is 0 and no apm_config.receiver_socket)');
      return;
    }
    this.#log.info({ url: this.url, socket: this.#socketPath }, `trace agent receiver on ${where.join(' and ')}: /info, /dogstatsd/v2/proxy, traces (counted, not forwarded)`);
  }

  public async onStop(signal?: AbortSignal): Promise<void> {
    this.#stopping = true;
    const servers = [this.#tcp, this.#unix].filter((s): s is Server => s !== undefined);
    try {
      await closeHttpServers(servers, signal);
    } finally {
      if (this.#unix !== undefined) removeSocketFile(this.#socketPath);
      this.#tcp = undefined;
      this.#unix = undefined;
      this.#port = 0;
      this.#address = '';
      this.#socketPath = '';
      this.#guard.flushLog();
      this.#drops.flushLog();
      this.#traces.logTotals();
      this.#log.debug({ ...this.telemetry() }, 'trace agent receiver stopped');
    }
  }

  public telemetry(): Record<string, number> {
    return {
      requests: this.#requests,
      inflight: this.#inflight,
      errors: this.#errors,
      listen_errors: this.#listenErrors,
      ...this.#router.telemetry(),
      ...(this.#dogstatsd?.telemetry() ?? {}),
      ...this.#traces.telemetry(),
      ...this.#drops.snapshot(),
      ...this.#guard.telemetry(),
    };
  }

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#requests += 1;
    if (!this.#guard.admit(req, res)) return;
    this.#inflight += 1;
    res.once('close', () => {
      this.#inflight -= 1;
      // A request that began before the stop leaves its keep-alive connection idle now: close
      // it, or the stop would wait for the client's keep-alive to end.
      if (this.#stopping) this.#closeIdle();
    });
    // During the stop, a keep-alive connection must not stay open for a next request.
    if (this.#stopping) res.setHeader('Connection', 'close');
    res.setHeader('Datadog-Agent-Version', AGENTKIT_VERSION);
    this.#router.route(req, res).catch((error: unknown) => {
      // A bug (the router answers every input): answer 500 rather than leave the tracer hanging.
      this.#errors += 1;
      this.#log.error({ err: error, url: req.url }, 'trace agent receiver: request failed');
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('internal error: see the agent log\n');
      } else res.destroy();
    });
  };

  #closeIdle(): void {
    // Deferred: at 'close' the connection is not yet marked idle.
    setImmediate(() => {
      this.#tcp?.closeIdleConnections();
      this.#unix?.closeIdleConnections();
    });
  }

  async #listenTcp(): Promise<void> {
    const port = this.#config.get(apmKeys.receiverPort);
    if (port <= 0) return;
    let where = `port ${port}`;
    try {
      const address = await listenAddress(this.#config, apmKeys.nonLocalTraffic);
      where = `${formatHostPort(address.host, port)} (from ${address.key})`;
      // Listening already (agentkit exec opens it before the pipeline exists): taken with the connections it held.
      const server = this.#newServer();
      // No host: Node listens on `::` (dual-stack), or on 0.0.0.0 where there is no IPv6.
      if (this.#prebound?.take(server) !== true) await listen(server, address.dualStack ? { port } : { port, host: address.host });
      const bound = server.address() as AddressInfo;
      this.#tcp = server;
      this.#port = bound.port;
      this.#address = bound.address;
    } catch (error) {
      this.#listenFailed('apm_config.receiver_port', `TCP ${where}`, error);
    }
  }

  async #listenUnix(): Promise<void> {
    const path = this.#config.get(apmKeys.receiverSocket);
    if (path === '') return;
    try {
      checkSocketPathLength(path, 'apm_config.receiver_socket');
      removeStaleSocket(path, 'apm_config.receiver_socket');
      const server = this.#newServer();
      await listen(server, { path });
      setSocketMode(path);
      this.#unix = server;
      this.#socketPath = path;
    } catch (error) {
      this.#listenFailed('apm_config.receiver_socket', `unix://${path}`, error);
    }
  }

  #newServer(): Server {
    return this.#watchErrors(createServer(this.#onRequest));
  }

  #watchErrors(server: Server): Server {
    server.on('error', (error) => {
      this.#errors += 1;
      this.#log.warn({ err: error }, 'trace agent receiver: server error');
    });
    return server;
  }

  #listenFailed(key: string, where: string, error: unknown): void {
    this.#listenErrors += 1;
    const code = (error as { code?: unknown } | null)?.code;
    const hint = code === 'EADDRINUSE' ? ' (a Datadog Agent or another agentkit already listening?)' : '';
    this.#log.error(
      { err: error, key },
      `${key}: the trace agent receiver cannot listen on ${where}${hint}: ${(error as Error).message}; tracers cannot reach this agent there (metrics over DogStatsD still work). Set ${key} to change it`,
    );
  }
}

function listen(server: Server, options: { port: number; host?: string } | { path: string }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * The names a tracer may put in `Host` besides IP addresses and `localhost`: those the user
 * allowed, this machine's hostname (a container's, often what other containers call it) and
 * `hostname` when set. A name a tracer reaches us under that is none of these (a compose
 * service name, a Kubernetes service) goes in `local_server_allowed_hosts`.
 */
function allowedNames(config: ConfigReader): string[] {
  const names = [...config.get(commonKeys.localServerAllowedHosts), osHostname()];
  const configured = config.get(commonKeys.hostname).trim();
  if (configured !== '' && isIP(configured) === 0) names.push(configured);
  return names;
}
