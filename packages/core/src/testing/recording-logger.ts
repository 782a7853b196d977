import type { Logger } from '../built-ins.js';

/** One line a RecordingLogger kept: `obj` includes the bindings of the child that logged it. */
export interface RecordedLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

/**
 * A Logger that keeps every line, for tests that assert on what was logged. Children share
 * their parent's `lines`, with their bindings merged into each line's `obj`.
 */
export class RecordingLogger implements Logger {
  public readonly lines: RecordedLine[];
  readonly #bindings: Record<string, unknown>;

  public constructor(lines: RecordedLine[] = [], bindings: Record<string, unknown> = {}) {
    this.lines = lines;
    this.#bindings = bindings;
  }

  public trace(obj: object | string, msg?: string): void {
    this.#push('trace', obj, msg);
  }

  public debug(obj: object | string, msg?: string): void {
    this.#push('debug', obj, msg);
  }

  public info(obj: object | string, msg?: string): void {
    this.#push('info', obj, msg);
  }

  public warn(obj: object | string, msg?: string): void {
    this.#push('warn', obj, msg);
  }

  public error(obj: object | string, msg?: string): void {
    this.#push('error', obj, msg);
  }

  public child(bindings: Record<string, unknown>): RecordingLogger {
    return new RecordingLogger(this.lines, { ...this.#bindings, ...bindings });
  }

  /** The messages logged, optionally at one level only. */
  public messages(level?: RecordedLine['level']): string[] {
    return this.lines.filter((l) => level === undefined || l.level === level).map((l) => l.msg);
  }

  #push(level: RecordedLine['level'], obj: object | string, msg: string | undefined): void {
    if (typeof obj === 'string') this.lines.push({ level, obj: { ...this.#bindings }, msg: obj });
    else this.lines.push({ level, obj: { ...this.#bindings, ...(obj as Record<string, unknown>) }, msg: msg ?? '' });
  }
}
