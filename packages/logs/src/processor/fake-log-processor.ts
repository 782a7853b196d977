import { bundle, provide, type Bundle } from '@agentkit/core';
import type { LogStream } from '../sender/log-sender.def.js';
import { LOG_PROCESSOR, type LogProcessor } from './log-processor.def.js';

/** Records the bytes of each stream and which streams ended. For testing the source in isolation. */
export class FakeLogProcessor implements LogProcessor {
  public readonly chunks: { readonly stream: LogStream; readonly bytes: Buffer }[] = [];
  public readonly ended = new Set<LogStream>();
  public stopped = false;

  public write(stream: LogStream, chunk: Buffer): void {
    this.chunks.push({ stream, bytes: Buffer.from(chunk) });
  }

  public end(stream: LogStream): void {
    this.ended.add(stream);
  }

  /** Set it to hold the source back (tests of the backpressure). */
  public full: Promise<void> | undefined;

  public whenReady(): Promise<void> | undefined {
    return this.full;
  }

  public onStop(): void {
    this.stopped = true;
  }

  /** Every byte of `stream`, in order. */
  public bytesOf(stream: LogStream): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.stream === stream).map((c) => c.bytes));
  }
}

/** A `log-processor` bundle backed by `fake`. */
export function fakeLogProcessorBundle(fake: FakeLogProcessor = new FakeLogProcessor()): Bundle {
  return bundle('log-processor', [provide(LOG_PROCESSOR, { useValue: fake })]);
}
