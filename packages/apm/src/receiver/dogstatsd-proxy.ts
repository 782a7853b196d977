import type { DogstatsdServer } from '@agentkit/dogstatsd';

/**
 * Largest piece of a proxied body handed to the DogStatsD server at once, cut at a newline:
 * the parser converts each packet to one string, so a 25 MiB body in one piece would be one
 * 25 MiB string. A single line longer than this is handed over whole (the parser judges it).
 */
export const PROXY_CHUNK_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

/**
 * `/dogstatsd/v2/proxy` (and v1): a tracer's newline-separated DogStatsD lines, handed to the
 * same DogStatsD server the listeners feed, as packets from the `http` transport: the same
 * parser, enrichment, counters and drain. (The Agent splits the body at newlines and sends
 * each line over UDP to its DogStatsD; in one process the lines go straight in, nothing can be
 * lost on the way.)
 */
export class DogstatsdProxy {
  readonly #server: DogstatsdServer;
  #payloads = 0;
  #lines = 0;
  #bytes = 0;

  public constructor(server: DogstatsdServer) {
    this.#server = server;
  }

  /** Hands `body` to the server (which owns it from here). Synchronous; never throws. */
  public forward(body: Buffer): void {
    this.#payloads += 1;
    this.#bytes += body.length;
    let lines = 0;
    let start = 0;
    let previous = -1;
    for (let i = body.indexOf(NEWLINE); i >= 0; i = body.indexOf(NEWLINE, i + 1)) {
      if (i > previous + 1) lines += 1;
      // Past the chunk size: hand over what ends at the previous newline.
      if (i + 1 - start > PROXY_CHUNK_BYTES && previous >= start) {
        this.#server.enqueue(body.subarray(start, previous + 1), 'http');
        start = previous + 1;
      }
      previous = i;
    }
    // The last line may lack its newline: it is a line all the same.
    if (body.length > previous + 1) lines += 1;
    if (start < body.length) this.#server.enqueue(start === 0 ? body : body.subarray(start), 'http');
    this.#lines += lines;
  }

  public telemetry(): Record<string, number> {
    return { 'dogstatsd_proxy.payloads': this.#payloads, 'dogstatsd_proxy.lines': this.#lines, 'dogstatsd_proxy.bytes': this.#bytes };
  }
}
