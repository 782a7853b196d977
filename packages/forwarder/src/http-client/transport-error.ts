import { AgentkitError } from '@agentkit/core';

/** Why a request got no answer: the code and message of the error that says it. */
export interface TransportErrorReason {
  /** `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_HTTP_HEADERS_TIMEOUT`, the error's name, or `ERROR`. */
  readonly code: string;
  readonly message: string;
}

/** The codes the HTTP client gives failures of its own (Node's socket and TLS errors keep theirs). */
export const TransportErrorCode = {
  /** No connection (TCP, the proxy's tunnel, the TLS handshake) within `forwarder_timeout`. */
  ConnectTimeout: 'ERR_HTTP_CONNECT_TIMEOUT',
  /** Connected and sent, but no response headers within the timeout of inactivity. */
  HeadersTimeout: 'ERR_HTTP_HEADERS_TIMEOUT',
  /** The response started, then nothing more of its body came within the timeout. */
  BodyTimeout: 'ERR_HTTP_BODY_TIMEOUT',
  /** The proxy answered the `CONNECT` with something other than 200 (407: its login was refused). */
  ProxyRefused: 'ERR_HTTP_PROXY_REFUSED',
  /** The client was destroyed (its owner stopped) before or while the request went out. */
  ClientDestroyed: 'ERR_HTTP_CLIENT_DESTROYED',
} as const;

export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

/** A failure of the HTTP client itself, with a stable `code`; its message names hosts, never credentials. */
export class TransportError extends AgentkitError {
  declare public readonly code: TransportErrorCode;

  public constructor(code: TransportErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'TransportError';
  }
}

/**
 * The reason, from the error or the deepest cause that has one (a wrapped cause, such as a
 * failure while the proxy's tunnel is made, says why: `DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION`, `ECONNREFUSED`). Node's and the client's messages name
 * hosts and status codes, never the proxy's credentials.
 */
export function transportErrorReason(error: unknown): TransportErrorReason {
  let err = error as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
  for (let depth = 0; depth < 3 && typeof err.cause === 'object' && err.cause !== null && err.code === undefined; depth++) {
    err = err.cause;
  }
  const code = typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : 'ERROR';
  const message = typeof err.message === 'string' ? err.message : String(error);
  return { code, message };
}
