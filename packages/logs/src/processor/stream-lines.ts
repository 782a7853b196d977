/** What a line over the limit is cut into pieces with: the end of a cut piece, the start of the next. */
export const CUT_MARK = '...TRUNCATED...';
/**
 * Bytes of one line kept in one log: 1 MiB less room for the log's other fields and the marks,
 * so that the log as sent stays within the intake's 1 MB per entry.
 */
export const MAX_LINE_BYTES = 1024 * 1024 - 8 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Receives each line of a stream, without its newline; `cut` when it is a piece of a longer line. */
export type LineSink = (text: string, cut: boolean) => void;

/**
 * One stream's bytes into lines. A line is what ends with `\n` (a `\r` before it is dropped);
 * the bytes after the last newline wait for the next chunk. A line over MAX_LINE_BYTES —
 * however it arrives, even without a newline for megabytes — is emitted in pieces of at most
 * that many bytes, each cut end and each continued start marked with CUT_MARK: nothing is
 * thrown away, and memory stays bounded. Bytes that are not UTF-8 become U+FFFD.
 */
export class StreamLines {
  #partial: Buffer[] = [];
  #partialBytes = 0;
  /** The last piece emitted was cut: the next bytes continue it. */
  #continuing = false;

  /** Bytes held waiting for their newline. */
  public get heldBytes(): number {
    return this.#partialBytes;
  }

  public push(chunk: Buffer, sink: LineSink): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      let line = chunk.subarray(start, nl);
      if (this.#partialBytes > 0) line = this.#takePartial(line);
      this.#emit(line, sink);
      start = nl + 1;
    }
    if (start >= chunk.length) return;
    // A copy: the caller may reuse its buffer.
    this.#partial.push(Buffer.from(chunk.subarray(start)));
    this.#partialBytes += chunk.length - start;
    while (this.#partialBytes > MAX_LINE_BYTES) {
      const held = this.#takePartial(undefined);
      const cutAt = charBoundary(held, MAX_LINE_BYTES);
      this.#piece(held.subarray(0, cutAt), true, sink);
      const rest = Buffer.from(held.subarray(cutAt));
      this.#partial = [rest];
      this.#partialBytes = rest.length;
    }
  }

  /** The stream ended: what is held is its last line. */
  public end(sink: LineSink): void {
    if (this.#partialBytes > 0) this.#emit(this.#takePartial(undefined), sink);
    this.#continuing = false;
  }

  #takePartial(tail: Buffer | undefined): Buffer {
    const parts = tail === undefined ? this.#partial : [...this.#partial, tail];
    const whole = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    this.#partial = [];
    this.#partialBytes = 0;
    return whole;
  }

  #emit(line: Buffer, sink: LineSink): void {
    let end = line.length;
    if (end > 0 && line[end - 1] === CR) end--;
    let start = 0;
    while (end - start > MAX_LINE_BYTES) {
      const cutAt = charBoundary(line, start + MAX_LINE_BYTES);
      this.#piece(line.subarray(start, cutAt), true, sink);
      start = cutAt;
    }
    this.#piece(line.subarray(start, end), false, sink);
  }

  #piece(bytes: Buffer, cutHere: boolean, sink: LineSink): void {
    const continued = this.#continuing;
    this.#continuing = cutHere;
    const text = bytes.toString('utf8');
    if (!continued && !cutHere) {
      sink(text, false);
      return;
    }
    sink(`${continued ? CUT_MARK : ''}${text}${cutHere ? CUT_MARK : ''}`, true);
  }
}

/** `at`, moved back to the start of a UTF-8 character so a cut never splits one. */
function charBoundary(bytes: Buffer, at: number): number {
  let i = at;
  // 0b10xxxxxx is a continuation byte; at most 3 of them follow a lead byte.
  while (i > at - 3 && i > 0 && ((bytes[i] ?? 0) & 0xc0) === 0x80) i--;
  return i;
}
