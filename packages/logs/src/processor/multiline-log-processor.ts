import { LOGGER, inject, injectable } from '@agentkit/core';
import type { Logger, TelemetrySnapshot, TelemetrySource } from '@agentkit/core';
import { LOG_SENDER, type LogEntry, type LogSender, type LogStatus, type LogStream } from '../sender/log-sender.def.js';
import type { LogProcessor } from './log-processor.def.js';
import { LEVEL_FIELDS, statusOf } from './log-status.js';
import { MAX_LINE_BYTES, StreamLines } from './stream-lines.js';

/**
 * How long after a line a continuation line (one starting with whitespace or `at `) may come
 * and still join it: a stack trace is written at once, so its lines arrive together.
 */
export const MULTILINE_WINDOW_MS = 100;

const STREAM_STATUS: Readonly<Record<LogStream, LogStatus>> = { stdout: 'info', stderr: 'error' };

interface StreamState {
  readonly lines: StreamLines;
  /** The log being built: a line and the continuation lines after it. */
  group: string[];
  groupChars: number;
  firstAtMs: number;
  lastAtMs: number;
  ended: boolean;
}

/**
 * The LogProcessor: lines per stream ({@link StreamLines}), a stack trace's lines joined into
 * one log, a JSON object line sent as its attributes with its own level as status (stdout is
 * `info`, stderr `error` otherwise). A log is handed to the sender when the next log starts,
 * or MULTILINE_WINDOW_MS after its last line (one unreferenced timer for both streams).
 */
@injectable()
export class MultilineLogProcessor implements LogProcessor, TelemetrySource {
  readonly #sender: LogSender;
  readonly #log: Logger;
  readonly #streams: Record<LogStream, StreamState> = { stdout: newState(), stderr: newState() };
  #timer: NodeJS.Timeout | undefined;
  #nowMs = 0;
  #linesRead = 0;
  #logsMade = 0;
  #linesCut = 0;
  #linesEmpty = 0;
  #jsonLogs = 0;

  public constructor(@inject(LOG_SENDER) sender: LogSender, @inject(LOGGER) logger: Logger) {
    this.#sender = sender;
    this.#log = logger.child({ component: 'LogProcessor' });
  }

  public write(stream: LogStream, chunk: Buffer): void {
    const state = this.#streams[stream];
    // One clock read per chunk: the lines of one read arrived together.
    this.#nowMs = Date.now();
    state.lines.push(chunk, (text, cut) => this.#line(stream, state, text, cut));
    if (state.group.length > 0) this.#arm();
  }

  public end(stream: LogStream): void {
    const state = this.#streams[stream];
    if (state.ended) return;
    state.ended = true;
    this.#nowMs = Date.now();
    state.lines.end((text, cut) => this.#line(stream, state, text, cut));
    this.#flushGroup(stream, state);
  }

  public whenReady(): Promise<void> | undefined {
    return this.#sender.whenReady();
  }

  /** Hands over every line still held (the source has handed over its last bytes by now). */
  public onStop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.end('stdout');
    this.end('stderr');
    this.#log.debug({ linesRead: this.#linesRead, logs: this.#logsMade, cut: this.#linesCut }, 'log processor stopped: every line handed to the sender');
  }

  public telemetry(): TelemetrySnapshot {
    const { stdout, stderr } = this.#streams;
    return {
      'lines.read': this.#linesRead,
      'lines.cut': this.#linesCut,
      'lines.empty': this.#linesEmpty,
      logs: this.#logsMade,
      'logs.json': this.#jsonLogs,
      // Bytes waiting for their newline, and lines waiting for their stack trace's end.
      pending_bytes: stdout.lines.heldBytes + stderr.lines.heldBytes,
      pending_lines: stdout.group.length + stderr.group.length,
    };
  }

  #line(stream: LogStream, state: StreamState, text: string, cut: boolean): void {
    this.#linesRead++;
    if (cut) this.#linesCut++;
    if (text === '') {
      // Nothing to send; a blank line inside a stack trace does not end it either.
      this.#linesEmpty++;
      return;
    }
    const now = this.#nowMs;
    if (!cut && state.group.length > 0 && isContinuation(text) && now - state.lastAtMs <= MULTILINE_WINDOW_MS && state.groupChars + text.length < MAX_LINE_BYTES) {
      state.group.push(text);
      state.groupChars += text.length + 1;
      state.lastAtMs = now;
      return;
    }
    this.#flushGroup(stream, state);
    state.group.push(text);
    state.groupChars = text.length;
    state.firstAtMs = now;
    state.lastAtMs = now;
    // A piece of a cut line is a log of its own: nothing continues it.
    if (cut) this.#flushGroup(stream, state);
  }

  #flushGroup(stream: LogStream, state: StreamState): void {
    if (state.group.length === 0) return;
    const message = state.group.length === 1 ? (state.group[0] as string) : state.group.join('\n');
    const single = state.group.length === 1;
    state.group = [];
    state.groupChars = 0;
    this.#logsMade++;
    this.#sender.send(this.#entry(stream, message, single, state.firstAtMs));
  }

  #entry(stream: LogStream, message: string, single: boolean, timestampMs: number): LogEntry {
    if (single && message.charCodeAt(0) === 0x7b /* { */ && message.charCodeAt(message.length - 1) === 0x7d) {
      const attributes = parseObject(message);
      if (attributes !== undefined) {
        this.#jsonLogs++;
        let status: LogStatus | undefined;
        for (const field of LEVEL_FIELDS) {
          status = statusOf(attributes[field]);
          if (status !== undefined) break;
        }
        const own = typeof attributes['message'] === 'string' ? attributes['message'] : typeof attributes['msg'] === 'string' ? attributes['msg'] : message;
        return { message: own, status: status ?? STREAM_STATUS[stream], timestampMs, stream, attributes };
      }
    }
    return { message, status: STREAM_STATUS[stream], timestampMs, stream };
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#tick(), MULTILINE_WINDOW_MS);
    this.#timer.unref();
  }

  #tick(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (const stream of ['stdout', 'stderr'] as const) {
      const state = this.#streams[stream];
      if (state.group.length > 0 && now - state.lastAtMs >= MULTILINE_WINDOW_MS) this.#flushGroup(stream, state);
    }
    if (this.#streams.stdout.group.length + this.#streams.stderr.group.length > 0) this.#arm();
  }
}

function newState(): StreamState {
  return { lines: new StreamLines(), group: [], groupChars: 0, firstAtMs: 0, lastAtMs: 0, ended: false };
}

/** A continuation of the line before: indented, or a stack frame (`at f (file:1:2)`). */
function isContinuation(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x20 || c === 0x09 || text.startsWith('at ');
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
