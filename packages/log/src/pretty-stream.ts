import type { DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';

/** Something pino-style to write finished text to: a sonic-boom destination or a Writable. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * A pino destination that turns each JSON line into one human-readable line and writes it to
 * `sink` before returning. It calls pino-pretty's formatter in-process rather than its stream
 * or a worker transport, both of which hand lines on asynchronously and lose the last ones when
 * the process exits right after logging.
 */
export function createPrettyStream(sink: TextSink, colorize: boolean): DestinationStream {
  // Required here, not imported at the top: pino-pretty and its dependencies are loaded only
  // when a terminal is attached, so a headless start does not pay for them.
  // node:module at first use, not with this module: it loads Node's ES module loader with it (~0.3 ms of CPU before `agentkit exec` starts its program).
  const { prettyFactory } = process.getBuiltinModule('node:module').createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
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
