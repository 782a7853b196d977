import { token } from '@agentkit/core';

/** A body larger than this is refused with 413: the trace agent's `MaxRequestBytes` default (25 MiB), the cap its forwarding transport reads a request body to. */
export const DEFAULT_DEBUGGER_MAX_BODY_BYTES = 25 * 1024 * 1024;
/** A body up to this size is held so it can be retried and copied to additional endpoints (a 2 MiB symdb batch with its multipart framing fits). */
export const DEFAULT_DEBUGGER_RETRY_BUFFER_BYTES = 4 * 1024 * 1024;
/** What all requests in flight may hold together; past it, new requests are streamed and sent once. */
export const DEFAULT_DEBUGGER_RETRY_BUFFER_TOTAL_BYTES = 16 * 1024 * 1024;
/** Requests per upload, the first included: the tracer waits for the answer, so few. */
export const DEFAULT_DEBUGGER_MAX_ATTEMPTS = 3;

/** Settings of the proxy that are not config keys (tests, custom agents). */
export interface DebuggerProxyOptions {
  readonly maxBodyBytes?: number;
  readonly retryBufferBytes?: number;
  readonly retryBufferTotalBytes?: number;
  readonly maxAttempts?: number;
}

/** Optional: bind it to change the limits of the proxy an app builds. */
export const DEBUGGER_PROXY_OPTIONS = token<DebuggerProxyOptions>('DebuggerProxyOptions');
