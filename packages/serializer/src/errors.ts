import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/serializer. */
export const SerializerErrorCode = {
  /** A payload handed to a decoder is not valid for its format (truncated, wrong wire types, bad JSON). */
  Decode: 'ERR_SERIALIZER_DECODE',
  /** A payload's `Content-Encoding` cannot be decompressed by this runtime (e.g. zstd before Node 22.15). */
  ContentEncoding: 'ERR_SERIALIZER_CONTENT_ENCODING',
} as const;

export type SerializerErrorCode = (typeof SerializerErrorCode)[keyof typeof SerializerErrorCode];

/** An error of @agentkit/serializer, with one of `SerializerErrorCode`. */
export class SerializerError extends AgentkitError {
  public constructor(code: SerializerErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'SerializerError';
  }
}
