import { configFromObject } from '@agentkit/core';
import { FaultPlan, startLocalIntake } from '@agentkit/intake';
import type { AnsweredRequest, FaultPlanInit, FaultResponder, FaultResponse, HttpLocalIntake, IntakeRequest, IntakeTlsOptions } from '@agentkit/intake';
import { decodedItemCount } from '@agentkit/serializer';
import type {
  DecodedEvent,
  DecodedHostMetadata,
  DecodedLog,
  DecodedMetricSeries,
  DecodedPayload,
  DecodedPayloadKind,
  DecodedSeriesV1,
  DecodedServiceCheck,
  DecodedSketch,
} from '@agentkit/serializer';

/** How the intake answers one request (@agentkit/intake's fault response). `{}` is the intake's own answer. */
export type IntakeResponse = FaultResponse;

/** One request as @agentkit/intake received, decoded and answered it (status 0: reset or hang). */
export type RecordedRequest = AnsweredRequest;

/** Picks the response for a request; undefined falls through to the queues, then to the intake's own answer. */
export type IntakeResponder = (request: IntakeRequest) => IntakeResponse | undefined;

export interface TestIntakeOptions {
  /** Responses for payload requests (series, sketches, events, host metadata, checks), in order, one per request; then the intake's own. */
  readonly responses?: readonly IntakeResponse[];
  /** Sequences per route (`symdb`, `validate`, `series_v2`…), as @agentkit/intake's FaultPlan takes them. */
  readonly sequences?: FaultPlanInit['sequences'];
  /** Consulted first for every request (API key validation included). */
  readonly respond?: IntakeResponder;
  /** Answer to `GET /api/v1/validate` (default: the intake's own, 200 `{"valid":true}`). */
  readonly validateResponse?: IntakeResponse;
  /**
   * Serve HTTPS with this certificate (`makeTestCertificate()`); `url` is then `https://…`.
   * `maxVersion` caps the TLS versions offered (e.g. `'TLSv1.2'` to test `min_tls_version`).
   */
  readonly tls?: IntakeTlsOptions;
  /**
   * Names besides IP literals and `localhost` that the intake answers to
   * (`local_server_allowed_hosts`): a client sending `Host: intake.example.test` through a proxy
   * is refused with 421 otherwise, as any foreign name is.
   */
  readonly allowedHosts?: readonly string[];
}

export interface WaitOptions {
  /** Default 5000. */
  readonly timeoutMs?: number;
}

const DEFAULT_WAIT_TIMEOUT_MS = 5000;

/**
 * @agentkit/intake's real server on 127.0.0.1 (a free port), for tests: it decodes every
 * payload the serializer writes, the host metadata and symdb batches; this wrapper records
 * each request it answered (`requests`), reads them back by kind, waits for them, and steers
 * the intake's fault plan (status codes, delays, connection resets, hangs).
 */
export class TestIntake {
  /** Every request, in the order they were answered (or reset, or left hanging). */
  public readonly requests: RecordedRequest[] = [];
  readonly #plan: FaultPlan;
  readonly #waiters = new Set<() => void>();
  readonly #tlsErrors: string[] = [];
  #respond: IntakeResponder | undefined;
  #intake: HttpLocalIntake | undefined;

  private constructor(options: TestIntakeOptions) {
    this.#respond = options.respond;
    const validate = options.validateResponse;
    const respond: FaultResponder = (request) => this.#respond?.(request) ?? (request.route === 'validate' ? validate : undefined);
    this.#plan = new FaultPlan({ sequences: { ...options.sequences }, respond });
    if (options.responses !== undefined) this.#plan.enqueue('payloads', ...options.responses);
  }

  /** Starts an intake; close it with `close()` (in an afterEach). */
  public static async start(options: TestIntakeOptions = {}): Promise<TestIntake> {
    const intake = new TestIntake(options);
    intake.#intake = await startLocalIntake({
      port: 0,
      faults: intake.#plan,
      onRequest: (request) => intake.#record(request),
      onTlsError: (code) => intake.#tlsErrors.push(code),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(options.allowedHosts === undefined ? {} : { config: configFromObject({ local_server_allowed_hosts: options.allowedHosts }) }),
    });
    return intake;
  }

  /** The intake itself: its history (`series()` by context, `stats()`…) and its JSON API at `url`. */
  public get intake(): HttpLocalIntake {
    if (this.#intake === undefined) throw new Error('test intake: not started');
    return this.#intake;
  }

  public get port(): number {
    return this.intake.port;
  }

  /** `http://127.0.0.1:<port>` (`https://` with `tls`): give it to the forwarder as `dd_url`. */
  public get url(): string {
    return this.intake.url;
  }

  /** The codes of TLS handshakes that failed on this intake, in order (HTTPS only). */
  public get tlsErrors(): readonly string[] {
    return this.#tlsErrors;
  }

  /** Queues responses for the next payload requests. */
  public enqueue(...responses: IntakeResponse[]): void {
    this.#plan.enqueue('payloads', ...responses);
  }

  /** Replaces the responder consulted first for every request (undefined removes it). */
  public setResponder(respond: IntakeResponder | undefined): void {
    this.#respond = respond;
  }

  /** The intake's fault plan, for sequences on other routes (`plan.enqueue('symdb', 503)`). */
  public get plan(): FaultPlan {
    return this.#plan;
  }

  /** Accepted payloads (decoded and answered 2xx), optionally of one kind. */
  public payloads(kind?: DecodedPayloadKind): RecordedRequest[] {
    return this.requests.filter((r) => r.accepted && r.decoded !== undefined && (kind === undefined || r.decoded.kind === kind));
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

  /** Accepted symbol database batches, as received: headers (the proxy's `dd-evp-origin`, tags…), body, parsed batch. */
  public symdbRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.accepted && r.symdb !== undefined);
  }

  /** Accepted Dynamic Instrumentation uploads (snapshots, logs, diagnostics), as received, with their summary in `debugger`. */
  public debuggerRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.accepted && r.debugger !== undefined);
  }

  /** Logs (`/api/v2/logs`) in accepted payloads, in arrival order: what the logs intake took. */
  public logs(): DecodedLog[] {
    return this.#collect((d) => (d.kind === 'logs' ? d.payload : []));
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

  /** Stops the intake and drops every open connection at once (hanging and delayed requests included). */
  public async close(): Promise<void> {
    await this.#intake?.onStop(AbortSignal.abort());
  }

  #record(request: RecordedRequest): void {
    this.requests.push(request);
    for (const check of [...this.#waiters]) check();
  }

  #collect<T>(pick: (decoded: DecodedPayload) => readonly T[]): T[] {
    const out: T[] = [];
    for (const r of this.payloads()) if (r.decoded !== undefined) out.push(...pick(r.decoded));
    return out;
  }
}

/** Starts a real local test intake: `const intake = await startTestIntake(); … await intake.close()`. */
export function startTestIntake(options?: TestIntakeOptions): Promise<TestIntake> {
  return TestIntake.start(options);
}
