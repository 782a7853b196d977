import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@agentkit/core';
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
  readonly logger?: Logger;
}

/**
 * Posts each batch as `multipart/form-data` (`file` part then `event` part) with node:http(s).
 * The body is the batch's gzip chunks framed by two small buffers, written chunk by chunk:
 * nothing is copied, and the same chunks are written again on a retry. Retries transport
 * failures, 408, 429 and 5xx with jittered exponential backoff; any other status fails at once.
 */
export class HttpBatchSender implements BatchSink {
  readonly #options: HttpBatchSenderOptions;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;

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

  #post(body: readonly Buffer[], contentType: string, signal: AbortSignal | undefined): Promise<void> {
    const { url, headers } = this.#options.destination;
    let length = 0;
    for (const chunk of body) length += chunk.length;
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    return new Promise<void>((resolve, reject) => {
      const fail = (message: string, status: number | undefined, cause?: unknown): void => {
        const retryable = status === undefined || isRetryableStatus(status);
        reject(new UploadError(message, { ...(status === undefined ? {} : { status }), retryable }, cause === undefined ? undefined : { cause }));
      };
      let req: ClientRequest;
      try {
        req = request(url, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': contentType, 'Content-Length': String(length) },
          timeout: this.#options.timeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS,
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        fail(`symdb upload to ${url} cannot start: ${String(error)} (check symdb_url)`, undefined, error);
        return;
      }
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#options.timeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS} ms`)));
      req.on('error', (error) => {
        if (signal?.aborted === true) reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
        else fail(`symdb upload to ${url} failed: ${error.message}`, undefined, error);
      });
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => {
          if (text.length < MAX_ERROR_BODY_CHARS) text += part;
        });
        res.on('error', (error) => fail(`symdb upload to ${url}: response failed: ${error.message}`, undefined, error));
        res.on('end', () => {
          if (status >= 200 && status < 300) resolve();
          else fail(`symdb upload to ${url} got HTTP ${status}${text === '' ? '' : `: ${text.slice(0, MAX_ERROR_BODY_CHARS).trim()}`}`, status);
        });
      });
      for (const chunk of body) req.write(chunk);
      req.end();
    });
  }
}
