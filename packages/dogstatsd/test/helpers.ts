import { FakeDemultiplexer } from '@agentkit/aggregator';
import { commonConfigKeys, loadConfig, type Config } from '@agentkit/config';
import type { Logger } from '@agentkit/core';
import { Batcher, dogstatsdConfigKeys, MetricMapper, PacketParser, type PacketParserOptions, type ParseErrorKind } from '@agentkit/dogstatsd';

export const HOST = 'test-host';

/** What one parse produced, as the demultiplexer received it, plus what was rejected. */
export interface Parsed {
  readonly demux: FakeDemultiplexer;
  readonly errors: ParseErrorKind[];
  unterminated: number;
  /** Non-empty messages seen (parsed or rejected). */
  lines: number;
}

/** A PacketParser + Batcher into a FakeDemultiplexer; `parse()` flushes after each packet. */
export function makeParser(options: Partial<PacketParserOptions> = {}): { parse(packet: string | Buffer, eolRequired?: boolean): Parsed } {
  const result: Parsed = { demux: new FakeDemultiplexer(), errors: [], unterminated: 0, lines: 0 };
  const parser = new PacketParser(
    {
      defaultHost: HOST,
      extraTags: [],
      readTimestamps: true,
      originDetectionClient: false,
      namespace: '',
      namespaceBlacklist: [],
      mapper: undefined,
      nameCacheSize: 4096,
      ...options,
    },
    {
      parseError: (kind) => void result.errors.push(kind),
      unterminated: () => void (result.unterminated += 1),
    },
  );
  const batcher = new Batcher(result.demux, 4);
  return {
    parse(packet, eolRequired = false) {
      parser.parse(typeof packet === 'string' ? Buffer.from(packet, 'utf8') : packet, eolRequired, 1_700_000_000, batcher);
      batcher.flush();
      result.lines = parser.lines;
      return result;
    },
  };
}

/** Parses one packet with a fresh parser. */
export function parse(packet: string | Buffer, options: Partial<PacketParserOptions> = {}, eolRequired = false): Parsed {
  return makeParser(options).parse(packet, eolRequired);
}

export function mapper(profiles: unknown, cacheSize = 1000): MetricMapper {
  return new MetricMapper(profiles as never, cacheSize);
}

/** A real Config with the common and DogStatsD keys; `values` are runtime overrides. */
export function dsdConfig(values: Record<string, unknown> = {}, env: Record<string, string> = {}): Config {
  return loadConfig({ keys: [...commonConfigKeys, ...dogstatsdConfigKeys], env: { DD_HOSTNAME: HOST, ...env }, overrides: values });
}

/** A logger that keeps every line, for assertions on what was logged. */
export class RecordingLogger implements Logger {
  public readonly lines: { level: string; obj: Record<string, unknown>; msg: string }[];

  public constructor(lines: { level: string; obj: Record<string, unknown>; msg: string }[] = []) {
    this.lines = lines;
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
  public child(): Logger {
    return new RecordingLogger(this.lines);
  }

  public messages(level?: string): string[] {
    return this.lines.filter((l) => level === undefined || l.level === level).map((l) => l.msg);
  }

  #push(level: string, obj: object | string, msg?: string): void {
    if (typeof obj === 'string') this.lines.push({ level, obj: {}, msg: obj });
    else this.lines.push({ level, obj: obj as Record<string, unknown>, msg: msg ?? '' });
  }
}

/** Polls `condition` every 5 ms until true or `timeoutMs` (then throws, naming `what`). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
