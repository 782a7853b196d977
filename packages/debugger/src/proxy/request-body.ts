import type { IncomingMessage } from 'node:http';

/** How much of a request body the proxy holds, and how much it lets through at all. */
export interface BodyLimits {
  /** Larger bodies are refused (413), by Content-Length before a byte is read, else as they pass it. */
  readonly maxBodyBytes: number;
  /** A body up to this size is held whole, so it can be sent again (retries, additional endpoints). */
  readonly retryBufferBytes: number;
}

/** How reading the start of a body ended. */
export type HeldBody =
  /** The whole body, held: it can be sent any number of times. */
  | { readonly kind: 'whole'; readonly body: Buffer }
  /** Bigger than the retry buffer: sent once, streamed (`stream` yields the held start, then the rest). */
  | { readonly kind: 'streamed'; readonly stream: BodyStream }
  | { readonly kind: 'too_large'; readonly bytes: number }
  | { readonly kind: 'aborted'; readonly reason: string };

/** The rest of a streamed body; `tooLarge` is set once it passed `maxBodyBytes` (and the stream failed). */
export interface BodyStream extends AsyncIterable<Buffer> {
  readonly tooLarge: boolean;
  /** Bytes read from the client so far. */
  readonly bytes: number;
}

/** Thrown into the upstream request when a streamed body passes the limit. */
export class BodyTooLargeError extends Error {
  public constructor(maxBodyBytes: number) {
    super(`request body over ${maxBodyBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body up to `retryBufferBytes` (or `maxHeldBytes`, when the proxy's shared
 * buffer budget is lower). A body that ends by then is returned whole; a longer one as a stream
 * of the part read and the rest, never held: memory stays bounded by the buffer whatever the
 * body's size. A declared Content-Length over `maxBodyBytes` is refused before anything is
 * read. Never rejects.
 */
export async function holdBody(req: IncomingMessage, limits: BodyLimits, maxHeldBytes: number): Promise<HeldBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) return { kind: 'too_large', bytes: declared };
  const holdUpTo = Math.min(limits.retryBufferBytes, maxHeldBytes, limits.maxBodyBytes);
  const iterator = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const held: Buffer[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return { kind: 'whole', body: held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held, bytes) };
      held.push(next.value);
      bytes += next.value.length;
      if (bytes > limits.maxBodyBytes) return { kind: 'too_large', bytes };
      if (bytes > holdUpTo) return { kind: 'streamed', stream: streamRest(held, bytes, iterator, limits.maxBodyBytes) };
    }
  } catch (error) {
    return { kind: 'aborted', reason: error instanceof Error ? error.message : String(error) };
  }
}

function streamRest(held: Buffer[], heldBytes: number, iterator: AsyncIterator<Buffer>, maxBodyBytes: number): BodyStream {
  let bytes = heldBytes;
  let tooLarge = false;
  return {
    get tooLarge() {
      return tooLarge;
    },
    get bytes() {
      return bytes;
    },
    async *[Symbol.asyncIterator]() {
      // Handed over once: the held chunks are let go of as they are written.
      while (held.length > 0) yield held.shift() as Buffer;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        bytes += next.value.length;
        if (bytes > maxBodyBytes) {
          tooLarge = true;
          throw new BodyTooLargeError(maxBodyBytes);
        }
        yield next.value;
      }
    },
  };
}
