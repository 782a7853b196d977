import type { SecureVersion } from 'node:tls';
import { token } from '@agentkit/core';
import type { FaultPlan } from '../faults/fault-plan.js';
import type { AnsweredRequest } from '../http/intake-request.js';

/** Series types as the intake stores them: v2's enum names, v1's strings (anything else is `unspecified`). */
export type LocalSeriesType = 'count' | 'rate' | 'gauge' | 'unspecified';

/**
 * One series identity (metric + sorted tags + host + type) and its latest points, from v1 and
 * v2 payloads alike. A `device` (v1 field, v2 resource) is kept as a `device:<name>` tag, and
 * other v2 resources as `dd.internal.resource:<type>:<name>` tags, as the user sent them.
 */
export interface LocalSeries {
  readonly metric: string;
  /** Sorted. */
  readonly tags: readonly string[];
  readonly host: string;
  readonly type: LocalSeriesType;
  /** Seconds (10 for DogStatsD buckets, 0 when not aggregated): the latest payload's. */
  readonly interval: number;
  /** `[unix seconds, value]`, ascending by time, at most `local_intake_max_points`. */
  readonly points: readonly (readonly [ts: number, value: number])[];
}

/** One 10 s bucket of a distribution: the sketch's summary and its quantiles. */
export interface LocalSketchPoint {
  /** Unix seconds. */
  readonly ts: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly sum: number;
  /** Computed from the sketch's bins exactly as the Agent's `Sketch.Quantile`. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** One distribution identity (metric + sorted tags + host) and its latest buckets. */
export interface LocalSketch {
  readonly metric: string;
  readonly tags: readonly string[];
  readonly host: string;
  /** Ascending by `ts`, at most `local_intake_max_points`. */
  readonly points: readonly LocalSketchPoint[];
}

export interface LocalEvent {
  /** When the intake received it (ms since the epoch). */
  readonly receivedAtMs: number;
  readonly title: string;
  readonly text: string;
  /** Unix seconds, as sent. */
  readonly timestamp: number;
  readonly host: string;
  readonly tags: readonly string[];
  readonly priority: string;
  /** `info` when none was sent. */
  readonly alertType: string;
  readonly aggregationKey?: string;
  readonly sourceTypeName?: string;
}

export type ServiceCheckStatusName = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

export interface LocalServiceCheck {
  readonly receivedAtMs: number;
  readonly check: string;
  readonly host: string;
  /** Unix seconds, as sent. */
  readonly timestamp: number;
  /** 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  readonly status: number;
  readonly statusName: ServiceCheckStatusName;
  readonly message: string;
  readonly tags: readonly string[];
}

/** One symbol database batch (one multipart request), summarised: the scopes themselves are not kept. */
export interface LocalSymdbUpload {
  readonly receivedAtMs: number;
  /** `/symdb/v1/input` (the trace-agent route) or `/api/v2/debugger` (agentless). */
  readonly path: string;
  readonly service: string;
  readonly version: string;
  readonly env?: string;
  readonly language: string;
  readonly uploadId?: string;
  readonly batchNum?: number;
  readonly final?: boolean;
  /** Top-level scopes in the batch (one per source file for JavaScript). */
  readonly scopeCount: number;
  /** Scopes at every depth (classes, functions, locals…). */
  readonly totalScopeCount: number;
  /** Distinct `source_file`s of the top-level scopes. */
  readonly fileCount: number;
  /** The gzip `file` part, as received. */
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  /** Names of the first top-level scopes (at most 20). */
  readonly topLevelScopes: readonly string[];
  /** Who sent it and through what (the trace agent's proxy adds `evpOrigin`, `requestId`, tags). */
  readonly headers?: LocalUploadHeaders;
}

/**
 * The headers of a debugger or symdb upload that say who sent it and through what, as the
 * trace agent's proxy sets them. Each is present only when sent.
 */
export interface LocalUploadHeaders {
  /** `DD-EVP-ORIGIN`: `agent-symdb`, `agent-debugger` (the proxy), a tracer's own origin. */
  readonly evpOrigin?: string;
  /** `DD-REQUEST-ID`: one per forwarded request. */
  readonly requestId?: string;
  /** The `ddtags` query parameter (the debugger routes' agent tags: `host:…,default_env:…,agent_version:…`). */
  readonly ddtags?: string;
  /** `X-Datadog-Additional-Tags` (the symdb route's agent tags). */
  readonly additionalTags?: string;
  /** `DD-API-KEY`, masked (all but the last 5 characters of a long key starred). */
  readonly apiKey?: string;
  readonly userAgent?: string;
}

/** One Dynamic Instrumentation upload (snapshots, logs or diagnostics), summarised. */
export interface LocalDebuggerUpload {
  readonly receivedAtMs: number;
  /** `/debugger/v1/input`, `/debugger/v1/diagnostics`, `/debugger/v2/input` (from agentkit's proxy) or `/api/v2/debugger`. */
  readonly path: string;
  readonly contentType: string;
  /** The body as received (compressed). */
  readonly bytes: number;
  /** Items in the JSON array (of the `event` part, for a multipart body). */
  readonly items: number;
  /** The part names of a multipart body. */
  readonly parts?: readonly string[];
  /** The first item's `service`. */
  readonly service?: string;
  /** The first item's message, or its probe status (diagnostics), cut to 200 characters. */
  readonly sample?: string;
  readonly headers: LocalUploadHeaders;
}

/** One log of the wrapped program (`/api/v2/logs`), as the page shows it. */
export interface LocalLog {
  readonly receivedAtMs: number;
  /** Milliseconds since the epoch, as sent (0 when none was). */
  readonly timestamp: number;
  /** `info` when none was sent. */
  readonly status: string;
  /** At most LOG_MESSAGE_KEPT_CHARS characters (`messageLength` says how long it was). */
  readonly message: string;
  readonly messageLength: number;
  readonly service: string;
  readonly ddsource: string;
  readonly hostname: string;
  /** `ddtags`, split on commas. */
  readonly tags: readonly string[];
  /** Every other attribute (a JSON line's fields), as sent. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The latest host metadata payload of one host (`/intake/`, the Agent's "v5" metadata). */
export interface LocalHost {
  /** When the intake received this payload (ms since the epoch). */
  readonly receivedAtMs: number;
  /** `internalHostname`: the host the agent reports as. */
  readonly hostname: string;
  readonly agentVersion: string;
  readonly os: string;
  /** `host-tags.system`: the host's tags (`tags`, `extra_tags`, `env:<env>`), as sent. */
  readonly tags: readonly string[];
  /** Every `host-tags` list by source (`system`, `google cloud platform`, …). */
  readonly tagsBySource: Readonly<Record<string, readonly string[]>>;
  /** How many metadata payloads this host sent. */
  readonly payloads: number;
}

/** The intake's own counters, for `GET /api/local/stats`. */
export interface LocalIntakeStats {
  /** Requests by route name (`series_v2`, `symdb`, `validate`, `api`, `page`, `not_found`…). */
  readonly requests: Readonly<Record<string, number>>;
  /** Items received by payload kind (series, sketches, events, checks, symdb batches). */
  readonly items: Readonly<Record<string, number>>;
  /** What was refused or not kept, by reason (`decode_error`, `body_too_large`, `context_limit`…). */
  readonly dropped: Readonly<Record<string, number>>;
  /** Old points, events, checks and symdb batches pushed out by the history limits (not a loss: the history rolls on). */
  readonly evicted: number;
  /** What the history holds now. */
  readonly stored: {
    readonly series: number;
    readonly sketches: number;
    readonly events: number;
    readonly serviceChecks: number;
    readonly symdbUploads: number;
    readonly debuggerUploads: number;
    readonly hosts: number;
    readonly logs: number;
  };
}

/**
 * A Datadog-compatible intake on 127.0.0.1: it decodes what the agent (or a Datadog client)
 * sends, keeps a bounded history in memory, and serves it as JSON (`/api/local/*`) and as a
 * live web page (`/`). The history readers may be called at any time, before start (empty)
 * and after stop (what was kept); they return copies the caller may keep.
 */
export interface LocalIntake {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`). Only once started: throws `ERR_INTAKE_NOT_STARTED` before. */
  readonly url: string;
  /** The port listened on (the real one when `local_intake_port` is 0). Throws before start. */
  readonly port: number;
  series(): LocalSeries[];
  sketches(): LocalSketch[];
  /** Oldest first, at most `local_intake_max_events`. */
  events(): LocalEvent[];
  /** Oldest first, at most `local_intake_max_events`. */
  serviceChecks(): LocalServiceCheck[];
  /** Oldest first, the last 100 batches. */
  symdbUploads(): LocalSymdbUpload[];
  /** Oldest first, the last 100 Dynamic Instrumentation uploads. */
  debuggerUploads(): LocalDebuggerUpload[];
  /** The latest host metadata of each host, by hostname (at most 100 hosts, the least recent dropped). */
  hosts(): LocalHost[];
  /** Oldest first, the last LOGS_KEPT logs. */
  logs(): LocalLog[];
  stats(): LocalIntakeStats;
}

export const LOCAL_INTAKE = token<LocalIntake>('LocalIntake');

/** Settings that are not config keys: for `startLocalIntake` and tests. */
export interface LocalIntakeOptions {
  /** Overrides `local_intake_port` (0 picks a free port). */
  readonly port?: number;
  /** Largest request body accepted, compressed (default 64 MiB); larger ones are answered 413. */
  readonly maxBodyBytes?: number;
  /** Serve HTTPS with this certificate instead of HTTP (tests of the forwarder's TLS settings). */
  readonly tls?: IntakeTlsOptions;
  /** What to answer wrong (tests): status sequences per route, delays, resets, hangs. */
  readonly faults?: FaultPlan;
  /**
   * Told of every request once it is answered, reset or left hanging, with its body and what
   * it decoded to (the test kit records them). Called on the request's turn: keep it short.
   */
  readonly onRequest?: (request: AnsweredRequest) => void;
  /** Told of each failed TLS handshake (the error code), besides the `tls_handshake` drop count. */
  readonly onTlsError?: (code: string) => void;
}

/** A certificate to serve HTTPS with (PEM). */
export interface IntakeTlsOptions {
  readonly cert: string;
  readonly key: string;
  /** Caps the TLS versions offered (e.g. `'TLSv1.2'`, to test a client's minimum version). */
  readonly maxVersion?: SecureVersion;
}

/** Optional: bind it to change the options of the intake an app builds. */
export const LOCAL_INTAKE_OPTIONS = token<LocalIntakeOptions>('LocalIntakeOptions');

/** The API key `agentkit run` sends to its embedded intake; the intake accepts any key. */
export const LOCAL_INTAKE_API_KEY = 'local-intake';
