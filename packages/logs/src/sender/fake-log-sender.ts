import { bundle, provide, type Bundle } from '@agentkit/core';
import { LOG_SENDER, type LogEntry, type LogSender } from './log-sender.def.js';

/** Records every log it is given, in order. For testing the processor in isolation. */
export class FakeLogSender implements LogSender {
  public readonly entries: LogEntry[] = [];
  public stopped = false;

  public send(entry: LogEntry): void {
    this.entries.push(entry);
  }

  /** Set it to hold the processor's reader back (tests of the backpressure). */
  public full: Promise<void> | undefined;

  public whenReady(): Promise<void> | undefined {
    return this.full;
  }

  public onStop(): void {
    this.stopped = true;
  }

  /** The messages, in order. */
  public messages(): string[] {
    return this.entries.map((e) => e.message);
  }
}

/** A `log-sender` bundle backed by `fake` (a new FakeLogSender unless given). */
export function fakeLogSenderBundle(fake: FakeLogSender = new FakeLogSender()): Bundle {
  return bundle('log-sender', [provide(LOG_SENDER, { useValue: fake })]);
}
