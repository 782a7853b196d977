import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@agentkit/core';
import { createHttpClient, DEFAULT_HTTP_CLIENT_SETTINGS, transportErrorReason, type HttpClient, type HttpClientSettings } from '@agentkit/forwarder';
import type { BatchSink, EncodedBatch } from '../encoder/gzip-batch-encoder.js';
import { isRetryableStatus, UploadError } from '../errors.js';
import type { SymdbDestination } from './destination.js';
import { multipartFrame } from './multipart.js';

export const DEFAULT_UPLOAD_MAX_ATTEMPTS = 4;
export const DEFAULT_UPLOAD_BASE_DELAY_MS = 1000;
export const DEFAULT_UPLOAD_MAX_DELAY_MS = 10_000;
export const DEFAULT_UPLOAD_TIMEOUT_MS = 30_000;
/** Enough of an error response to say why, not a whole HTML page. */
const MAX_ERROR_BODY_CHARS = 512;

export interface RetryOptions {
  /** Requests per batch, the first included. */
  readonly maxAttempts?: number;
  /** Backoff before retry n is a random delay up to `baseDelayMs · 2^(n-1)`, at most `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface HttpBatchSenderOptions {
  readonly destination: SymdbDestination;
  readonly service: string;
  readonly version: string;
  readonly env: string;
  readonly runtimeId: string;
  readonly uploadId: string;
  readonly retry?: RetryOptions;
  /** Per request, until the whole response has arrived. */
  readonly timeoutMs?: number;
  /** Proxy and TLS, as every agentkit HTTP client (`readHttpClientSettings`); default: direct, certificates checked. */
  readonly http?: HttpClientSettings;
  readonly logger?: Logger;
}

/**
 * Posts each batch as `multipart/form-data` (`file` part then `event` part) with the
 * forwarder's HTTP client (node:http / node:https), so the proxy and TLS keys apply as to every
 * agentkit client (it is made at the first batch). The body is the batch's gzip chunks framed by two
 * small buffers, written chunk by chunk: nothing is copied, and the same chunks are written
 * again on a retry. Retries transport failures, 408, 429 and 5xx with jittered exponential
 * backoff; any other status fails at once. `close()` ends its connections.
 */
export class HttpBatchSender implements BatchSink {
  readonly #options: HttpBatchSenderOptions;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  #client: HttpClient | undefined;

  public constructor(options: HttpBatchSenderOptions) {
    this.#options = options;
    this.#maxAttempts = Math.max(1, options.retry?.maxAttempts ?? DEFAULT_UPLOAD_MAX_ATTEMPTS);
    this.#baseDelayMs = options.retry?.baseDelayMs ?? DEFAULT_UPLOAD_BASE_DELAY_MS;
    this.#maxDelayMs = options.retry?.maxDelayMs ?? DEFAULT_UPLOAD_MAX_DELAY_MS;
  }

  /** Rejects with `UploadError` (its `attempts` says how many requests were made) or the signal's reason. */
  public async send(batch: EncodedBatch, signal?: AbortSignal): Promise<void> {
    const { service, version, env, runtimeId, uploadId } = this.#options;
    const frame = multipartFrame({ service, version, env, runtimeId, uploadId, batchNum: batch.batchNum, final: batch.final, attachmentSize: batch.gzipBytes });
    const body = [frame.head, ...batch.gzipChunks, frame.tail];
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        await this.#post(body, frame.contentType, signal);
        return;
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        if (!error.retryable || attempt >= this.#maxAttempts) {
          throw new UploadError(`${error.message} (batch ${batch.batchNum}, ${attempt} attempt${attempt === 1 ? '' : 's'})`, { ...(error.status === undefined ? {} : { status: error.status }), retryable: error.retryable, attempts: attempt }, { cause: error });
        }
        const delayMs = Math.random() * Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
        this.#options.logger?.debug({ batchNum: batch.batchNum, attempt, status: error.status, delayMs: Math.round(delayMs) }, 'symdb batch upload failed, retrying');
        await sleep(delayMs, undefined, signal === undefined ? {} : { signal });
      }
    }
  }

  /** Ends the sender's connections; a later `send` opens new ones. */
  public close(): Promise<void> {
    this.#client?.destroy();
    this.#client = undefined;
    return Promise.resolve();
  }

  async #post(body: readonly Buffer[], contentType: string, signal: AbortSignal | undefined): Promise<void> {
    const { url, headers } = this.#options.destination;
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
    let length = 0;
    for (const chunk of body) length += chunk.length;
    let target: URL;
    try {
      target = new URL(url);
    } catch (error) {
      throw new UploadError(`symdb upload to ${url} cannot start: ${String(error)} (check symdb_url)`, { retryable: false }, { cause: error });
    }
    const client = (this.#client ??= createHttpClient(this.#options.http ?? DEFAULT_HTTP_CLIENT_SETTINGS, { timeoutMs }));
    const proxy = client.proxyOf(target.origin);
    const timeout = AbortSignal.timeout(timeoutMs);
    const requestSignal = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const via = proxy === undefined ? '' : ` through the proxy ${proxy}`;
    let status: number;
    let text = '';
    try {
      const response = await client.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { ...headers, 'Content-Type': contentType, 'Content-Length': String(length) },
        // A fresh stream over the same chunks for each attempt: nothing is copied.
        body: Readable.from(body, { objectMode: false }),
        signal: requestSignal,
      });
      status = response.status;
      for await (const part of response.body) {
        if (text.length < MAX_ERROR_BODY_CHARS) text += part.toString('utf8');
      }
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
      const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : describeTransportError(error);
      throw new UploadError(`symdb upload to ${url}${via} failed: ${why}`, { retryable: true }, { cause: error });
    }
    if (status >= 200 && status < 300) return;
    const detail = text === '' ? '' : `: ${text.slice(0, MAX_ERROR_BODY_CHARS).trim()}`;
    throw new UploadError(`symdb upload to ${url}${via} got HTTP ${status}${detail}`, { status, retryable: isRetryableStatus(status) });
  }
}

/** The reason, with the TLS or socket code (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ECONNREFUSED`). */
function describeTransportError(error: unknown): string {
  const { code, message } = transportErrorReason(error);
  return `${code}: ${message}`;
}
