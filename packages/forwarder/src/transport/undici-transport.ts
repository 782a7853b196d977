import type { Dispatcher } from 'undici';
import type { HttpClientSettings } from '../http-client/http-client-settings.js';
import { transportErrorReason } from '../http-client/transport-error.js';
import { loadHttpDispatchers, type HttpDispatchers } from '../http-client/undici-dispatchers.js';
import type { HttpOutcome, HttpRequest, HttpTransport } from './transport.def.js';

/** Bytes of an error response kept for the log line. */
export const RESPONSE_SNIPPET_BYTES = 512;

export interface UndiciTransportOptions {
  /** `forwarder_timeout`: to connect, to receive the headers, and between body chunks. */
  readonly timeoutMs: number;
  /** Proxy and TLS (`readHttpClientSettings`). */
  readonly http: HttpClientSettings;
}

/**
 * Imports undici (about 100 ms of module loading, perf-anchors §6) and returns a transport on
 * keep-alive dispatchers shared by every destination, direct or through the configured proxy
 * (`loadHttpDispatchers`). Rejects only if undici cannot be loaded.
 */
export async function loadUndiciTransport(options: UndiciTransportOptions): Promise<HttpTransport> {
  return new UndiciTransport(await loadHttpDispatchers(options.http, { timeoutMs: options.timeoutMs }));
}

class UndiciTransport implements HttpTransport {
  readonly #dispatchers: HttpDispatchers;

  public constructor(dispatchers: HttpDispatchers) {
    this.#dispatchers = dispatchers;
  }

  public async send(request: HttpRequest): Promise<HttpOutcome> {
    const route = this.#dispatchers.forOrigin(request.origin);
    try {
      const response = await route.dispatcher.request({
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: request.signal,
      });
      const status = response.statusCode;
      if (status < 400) {
        await response.body.dump();
        return { kind: 'response', status, bodySnippet: '' };
      }
      return { kind: 'response', status, bodySnippet: await readSnippet(response.body) };
    } catch (error) {
      return errorOutcome(error, request.signal.aborted, route.proxy);
    }
  }

  public async close(): Promise<void> {
    // destroy, not close: by now the forwarder has given up on whatever is still in flight.
    await this.#dispatchers.destroy();
  }
}

async function readSnippet(body: Dispatcher.ResponseData['body']): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8');
      if (text.length >= RESPONSE_SNIPPET_BYTES) break;
    }
  } catch {
    // The status is what matters; a body cut short is not worth a second error.
  }
  return text.slice(0, RESPONSE_SNIPPET_BYTES);
}

/** A request that got no answer, with the reason `transportErrorReason` finds. */
function errorOutcome(error: unknown, aborted: boolean, proxy: string | undefined): HttpOutcome {
  const { code, message } = transportErrorReason(error);
  return proxy === undefined ? { kind: 'error', code, message, aborted } : { kind: 'error', code, message, aborted, proxy };
}

/** The keys that decide a failure of this kind, for the log line (undefined: none in particular). */
export function failureHint(outcome: HttpOutcome): string | undefined {
  if (outcome.kind !== 'error' || outcome.aborted) return undefined;
  if (/CERT|SSL|TLS/.test(outcome.code)) return 'the TLS handshake failed: see skip_ssl_validation and min_tls_version';
  if (outcome.proxy !== undefined) return 'sent through the proxy: see proxy.http / proxy.https and proxy.no_proxy';
  return undefined;
}
