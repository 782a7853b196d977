/** One HTTP request to an intake. */
export interface HttpRequest {
  readonly origin: string;
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** Shared with other destinations: the transport only reads it. */
  readonly body?: Buffer;
  /** Aborts the request (stop). */
  readonly signal: AbortSignal;
}

/** How a request ended: a response (any status), or no response at all. */
export type HttpOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly bodySnippet: string }
  | {
      readonly kind: 'error';
      readonly code: string;
      readonly message: string;
      readonly aborted: boolean;
      /** The proxy the request went through (password starred), when it went through one. */
      readonly proxy?: string;
    };

/**
 * Sends requests. `send` never rejects: every failure is an outcome. `close` ends every
 * connection (requests still in flight are aborted). Neither is callable before the transport
 * has loaded; `send` after `close` returns an error outcome.
 */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpOutcome>;
  close(): Promise<void>;
}
