import type { HttpClientSettings } from '../http-client/http-client-settings.js';
import { createHttpClient, type HttpClient } from '../http-client/node-http-client.js';
import { transportErrorReason } from '../http-client/transport-error.js';
import type { HttpOutcome, HttpRequest, HttpTransport } from './transport.def.js';

/** Bytes of an error response kept for the log line. */
export const RESPONSE_SNIPPET_BYTES = 512;

export interface NodeHttpTransportOptions {
  /** `forwarder_timeout`: to connect, to receive the headers, and between body chunks. */
  readonly timeoutMs: number;
  /** Proxy and TLS (`readHttpClientSettings`). */
  readonly http: HttpClientSettings;
}

/**
 * A transport on the one HTTP client (`createHttpClient`: node:http / node:https, keep-alive
 * connections shared by every destination, direct or through the configured proxy). Cheap and
 * synchronous: Node's HTTP modules load at the first request.
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions): HttpTransport {
  return new NodeHttpTransport(createHttpClient(options.http, { timeoutMs: options.timeoutMs }));
}

class NodeHttpTransport implements HttpTransport {
  readonly #client: HttpClient;

  public constructor(client: HttpClient) {
    this.#client = client;
  }

  public async send(request: HttpRequest): Promise<HttpOutcome> {
    try {
      const response = await this.#client.request(request);
      const status = response.status;
      if (status < 400) {
        await response.dump();
        return { kind: 'response', status, bodySnippet: '' };
      }
      return { kind: 'response', status, bodySnippet: await readSnippet(response.body) };
    } catch (error) {
      return errorOutcome(error, request.signal.aborted, this.#client.proxyOf(request.origin));
    }
  }

  public close(): Promise<void> {
    // Destroyed, not drained: by now the forwarder has given up on whatever is still in flight.
    this.#client.destroy();
    return Promise.resolve();
  }
}

async function readSnippet(body: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) {
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
