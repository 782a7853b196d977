import { transportErrorReason, type HttpClient } from '@agentkit/forwarder';

/** Enough of an intake's answer to pass it on to the tracer; the rest is read and dropped. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** What one request to an intake came to. */
export type Attempt =
  | { readonly kind: 'answered'; readonly status: number; readonly contentType: string | undefined; readonly body: Buffer }
  /** No answer: connection refused or reset, TLS, timeout, the body stream failed, or cut on stop. */
  | { readonly kind: 'transport'; readonly error: string };

export interface SendRequest {
  readonly url: URL;
  /** `?…` or empty: replaces the URL's own query, as the Agent does. */
  readonly search: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | AsyncIterable<Buffer>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** POSTs one request with the forwarder's HTTP client (proxy, TLS). Never rejects. */
export async function sendOnce(client: HttpClient, request: SendRequest): Promise<Attempt> {
  const proxy = client.proxyOf(request.url.origin);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const via = proxy === undefined ? '' : ` (through the proxy ${proxy})`;
  try {
    const response = await client.request({
      origin: request.url.origin,
      path: `${request.url.pathname}${request.search}`,
      method: 'POST',
      headers: request.headers,
      // Streamed as it comes from the tracer, never gathered.
      body: request.body,
      signal: AbortSignal.any([request.signal, timeout]),
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    for await (const chunk of response.body) {
      if (kept >= MAX_ANSWER_BYTES) continue;
      const part = chunk.subarray(0, MAX_ANSWER_BYTES - kept);
      chunks.push(part);
      kept += part.length;
    }
    return { kind: 'answered', status: response.status, contentType: response.headers['content-type'], body: Buffer.concat(chunks, kept) };
  } catch (error) {
    if (request.signal.aborted) return { kind: 'transport', error: `cut: ${String((request.signal.reason as Error | undefined)?.message ?? request.signal.reason)}` };
    return { kind: 'transport', error: timeout.aborted ? `no answer within ${request.timeoutMs} ms${via}` : `${describeError(error)}${via}` };
  }
}

function describeError(error: unknown): string {
  const { code, message } = transportErrorReason(error);
  return `${code}: ${message}`;
}
