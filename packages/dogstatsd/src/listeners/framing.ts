/** What a framer says about a chunk: fine, or the connection must be closed. */
export type FrameOutcome = 'ok' | 'too_big';

/** Cuts a byte stream into packets for the server. One per connection. */
export interface Framer {
  /** Takes the next chunk (owned from now on); calls `onPacket` for each complete packet. */
  push(chunk: Buffer): FrameOutcome;
  /** The stream ended: hands over what may still be held; true when a partial frame was lost. */
  finish(): boolean;
}

/**
 * The Unix stream framing of DogStatsD: each payload is prefixed by its length, a 4-byte
 * little-endian uint32. A length over `maxFrameBytes` (`dogstatsd_buffer_size`) is refused.
 */
export class LengthPrefixFramer implements Framer {
  readonly #maxFrameBytes: number;
  readonly #onPacket: (packet: Buffer) => void;
  #pending: Buffer | undefined;

  public constructor(maxFrameBytes: number, onPacket: (packet: Buffer) => void) {
    this.#maxFrameBytes = maxFrameBytes;
    this.#onPacket = onPacket;
  }

  public push(chunk: Buffer): FrameOutcome {
    const buf = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    let offset = 0;
    while (buf.length - offset >= 4) {
      const length = buf.readUInt32LE(offset);
      if (length > this.#maxFrameBytes) return 'too_big';
      if (buf.length - offset - 4 < length) break;
      if (length > 0) this.#onPacket(buf.subarray(offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
    this.#pending = offset < buf.length ? buf.subarray(offset) : undefined;
    return 'ok';
  }

  public finish(): boolean {
    const broken = this.#pending !== undefined;
    this.#pending = undefined;
    return broken;
  }
}

/**
 * Newline-delimited messages (TCP): complete lines are handed over as one packet per chunk;
 * an unterminated tail waits for the next chunk, and is handed over at the end of the stream.
 * A tail over `maxLineBytes` without a newline is refused (memory bound).
 */
export class NewlineFramer implements Framer {
  readonly #maxLineBytes: number;
  readonly #onPacket: (packet: Buffer) => void;
  #pending: Buffer | undefined;

  public constructor(maxLineBytes: number, onPacket: (packet: Buffer) => void) {
    this.#maxLineBytes = maxLineBytes;
    this.#onPacket = onPacket;
  }

  public push(chunk: Buffer): FrameOutcome {
    const lastNewline = chunk.lastIndexOf(10);
    if (lastNewline === -1) {
      this.#pending = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
      return this.#pending.length > this.#maxLineBytes ? 'too_big' : 'ok';
    }
    const head = chunk.subarray(0, lastNewline + 1);
    this.#onPacket(this.#pending === undefined ? head : Buffer.concat([this.#pending, head]));
    this.#pending = lastNewline + 1 < chunk.length ? chunk.subarray(lastNewline + 1) : undefined;
    return this.#pending !== undefined && this.#pending.length > this.#maxLineBytes ? 'too_big' : 'ok';
  }

  public finish(): boolean {
    if (this.#pending !== undefined) this.#onPacket(this.#pending);
    this.#pending = undefined;
    return false;
  }
}
