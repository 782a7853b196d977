/** Why a request got no answer: the code and message of the error that says it. */
export interface TransportErrorReason {
  /** `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `UND_ERR_HEADERS_TIMEOUT`, the error's name, or `ERROR`. */
  readonly code: string;
  readonly message: string;
}

/**
 * The reason, from the error or the deepest cause that has one: undici wraps TLS and proxy
 * failures (`SecureProxyConnectionError`, a fetch-style `cause`), and the inner error says why
 * (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION`, `ECONNREFUSED`).
 * undici's messages name hosts and status codes, never the proxy's credentials.
 */
export function transportErrorReason(error: unknown): TransportErrorReason {
  let err = error as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
  for (let depth = 0; depth < 3 && typeof err.cause === 'object' && err.cause !== null && isGenericCode(err.code); depth++) {
    err = err.cause;
  }
  const code = typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : 'ERROR';
  const message = typeof err.message === 'string' ? err.message : String(error);
  return { code, message };
}

function isGenericCode(code: unknown): boolean {
  return code === undefined || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_PRX_TLS' || code === 'UND_ERR';
}
