import { DropCounter, type Logger } from '@agentkit/core';

/** The drop reason (telemetry `dropped.datagram_truncated`) of a datagram longer than the buffer. */
export const DATAGRAM_TRUNCATED = 'datagram_truncated';

/**
 * The Datadog Agent reads each UDP and Unix datagram into a buffer of `dogstatsd_buffer_size`
 * bytes (Go's `ReadFrom`), so a longer datagram keeps its first `dogstatsd_buffer_size` bytes
 * and the kernel discards the rest without an error; the Agent then parses what it kept as any
 * packet: the messages before the cut as usual, the cut last one as it is (accepted if it still
 * parses, e.g. with fewer tags; an unterminated message under `dogstatsd_eol_required`).
 * Node hands over whole datagrams, so this applies the same cut, and, unlike the Agent, counts
 * each cut datagram (`dropped.datagram_truncated`, `truncated_bytes`) and logs the reason (at
 * most once per second).
 */
export class DatagramReadBuffer {
  readonly #drops: DropCounter;
  readonly #sizeBytes: number;
  #truncatedBytes = 0;

  public constructor(logger: Logger, sizeBytes: number) {
    this.#drops = new DropCounter(logger);
    this.#sizeBytes = sizeBytes;
  }

  public get sizeBytes(): number {
    return this.#sizeBytes;
  }

  /** `packet`, or a view of its first `sizeBytes` bytes when it is longer (counted). */
  public apply(packet: Buffer): Buffer {
    if (packet.length <= this.#sizeBytes) return packet;
    this.#truncatedBytes += packet.length - this.#sizeBytes;
    this.#drops.drop(DATAGRAM_TRUNCATED, 1, {
      datagramBytes: packet.length,
      keptBytes: this.#sizeBytes,
      hint: 'a datagram longer than dogstatsd_buffer_size keeps only its first dogstatsd_buffer_size bytes, as in the Datadog Agent: raise dogstatsd_buffer_size or send smaller packets',
    });
    return packet.subarray(0, this.#sizeBytes);
  }

  /** Logs the cuts not reported yet (call at stop). */
  public flushLog(): void {
    this.#drops.flushLog();
  }

  public telemetry(): Record<string, number> {
    return { truncated_bytes: this.#truncatedBytes, ...this.#drops.snapshot() };
  }
}
