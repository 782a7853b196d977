import { createRequire } from 'node:module';

import type { DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';

/** Something pino-style to write finished text to: a sonic-boom destination or a Writable. */
export interface TextSink {
  write(text: string): unknown;
}

const requireFromHere = createRequire(import.meta.url);

/**
 * A pino destination that turns each JSON line into one human-readable line and writes it to
 * `sink` before returning. It calls pino-pretty's formatter in-process rather than its stream
 * or a worker transport, both of which hand lines on asynchronously and lose the last ones when
 * the process exits right after logging.
 */
export function createPrettyStream(sink: TextSink, colorize: boolean): DestinationStream {
  // Required here, not imported at the top: pino-pretty and its dependencies are loaded only
  // when a terminal is attached, so a headless start does not pay for them.
  const { prettyFactory } = requireFromHere('pino-pretty') as typeof PinoPretty;
  const prettify = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return {
    write(line: string): void {
      sink.write(prettify(line));
    },
  };
}
