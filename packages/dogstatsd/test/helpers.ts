import { FakeDemultiplexer } from '@agentkit/aggregator';
import { commonConfigKeys, loadConfig, type Config } from '@agentkit/config';
import { Batcher, dogstatsdConfigKeys, MetricMapper, PacketParser, parserOptionsFromConfig, type PacketParserOptions, type ParseErrorKind } from '@agentkit/dogstatsd';

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
    { ...DEFAULT_OPTIONS, ...options },
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

export { RecordingLogger } from '@agentkit/core/testing';

/** Polls `condition` every 5 ms until true or `timeoutMs` (then throws, naming `what`). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The parser options of a server with default config and host `test-host`. */
const DEFAULT_OPTIONS: PacketParserOptions = parserOptionsFromConfig(dsdConfig());
