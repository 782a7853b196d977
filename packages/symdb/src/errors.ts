import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/symdb. Match on these, never on message text. */
export const SymdbErrorCode = {
  /** The intake answered with a non-2xx status, or the request failed (connection, timeout). */
  Upload: 'ERR_SYMDB_UPLOAD',
  /** A scope could not be serialised or the gzip stream failed: a bug or a resource limit, never retried. */
  Encode: 'ERR_SYMDB_ENCODE',
  /** The directory to upload cannot be read. */
  Directory: 'ERR_SYMDB_DIRECTORY',
  /** No parser could be loaded (neither the native oxc-parser nor the JavaScript fallback). */
  ParserUnavailable: 'ERR_SYMDB_PARSER_UNAVAILABLE',
} as const;

export type SymdbErrorCode = (typeof SymdbErrorCode)[keyof typeof SymdbErrorCode];

/**
 * An HTTP failure while sending one batch. `status` is the intake's HTTP status, undefined when
 * no response came (connection refused, reset, timeout). `retryable` is true for transport
 * failures, 408, 429 and 5xx: the same batch may be sent again unchanged.
 */
export class UploadError extends AgentkitError {
  public readonly status: number | undefined;
  public readonly retryable: boolean;
  /** How many requests were made for this batch before giving up. */
  public readonly attempts: number;

  public constructor(message: string, details: { status?: number; retryable: boolean; attempts?: number }, options?: ErrorOptions) {
    super(SymdbErrorCode.Upload, message, options);
    this.name = 'UploadError';
    this.status = details.status;
    this.retryable = details.retryable;
    this.attempts = details.attempts ?? 1;
  }
}

/** Serialising a scope or compressing a batch failed. Never retried: the same input fails again. */
export class SymdbEncodeError extends AgentkitError {
  public constructor(message: string, options?: ErrorOptions) {
    super(SymdbErrorCode.Encode, message, options);
    this.name = 'SymdbEncodeError';
  }
}

/** Any other @agentkit/symdb failure (directory, parser); `code` tells which. */
export class SymdbError extends AgentkitError {
  public constructor(code: SymdbErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'SymdbError';
  }
}

/** True when the status means "the same request may succeed later". */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
