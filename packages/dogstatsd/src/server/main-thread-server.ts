import { DEMULTIPLEXER, type Demultiplexer } from '@agentkit/aggregator';
import { CONFIG, DropCounter, inject, injectable, LOGGER, optional, RingBuffer, type ConfigReader, type Logger, type TelemetrySource } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { PACKET_FORWARDER, type PacketForwarder } from '../packet-forwarder/packet-forwarder.def.js';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';
import { PacketParser } from '../parser/packet-parser.js';
import { parserOptionsFromConfig } from '../parser/parser-options.js';
import type { ParseErrorKind, ParseReporter } from '../parser/parse-error.js';
import { Batcher } from './batcher.js';
import type { DogstatsdServer, PacketSource } from './server.def.js';

const EOL_TRANSPORTS = ['udp', 'uds', 'named_pipe', 'tcp'] as const;
const MAX_LOGGED_LINE_CHARS = 200;

interface QueuedPacket {
  readonly packet: Buffer;
  readonly source: PacketSource;
}

type State = 'created' | 'running' | 'stopped';

/**
 * The server, with parsing on the main thread. Listeners enqueue packets into a ring buffer;
 * one `setImmediate` per event-loop turn drains it — parse, enrich, batch — and flushes the
 * batches to the demultiplexer, so nothing waits in a batcher between turns. Why not
 * worker_threads: the demultiplexer lives on the main thread, so every sample would have to
 * come back through a structured clone, which costs more than parsing it (docs/benchmarks.md).
 */
@injectable()
export class MainThreadServer implements DogstatsdServer, TelemetrySource {
  readonly #demux: Demultiplexer;
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #drops: DropCounter;
  readonly #forwarder: PacketForwarder | undefined;
  #parseErrors: DropCounter;
  /** Samples dropped by `statsd_metric_blocklist`: asked for, so logged at debug only. */
  #blocked: DropCounter;
  #blockedReported = 0;
  #queue: RingBuffer<QueuedPacket>;
  #parser: PacketParser | undefined;
  #batcher: Batcher;
  #eol: Record<PacketSource, boolean> = { udp: false, uds: false, tcp: false, http: false };
  #state: State = 'created';
  #scheduled = false;
  #packets = 0;
  /** Packets by the transport they came from (`packets_from.<source>` in telemetry, when non-zero). */
  readonly #packetsFrom: Record<PacketSource, number> = { udp: 0, uds: 0, tcp: 0, http: 0 };
  #bytes = 0;
  #queueFull = 0;
  #unterminated = 0;

  public constructor(
    @inject(DEMULTIPLEXER) demux: Demultiplexer,
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
    // Optional so a server can be built without one (tests, custom servers): then nothing is forwarded.
    @inject(PACKET_FORWARDER) @optional() forwarder?: PacketForwarder,
  ) {
    this.#demux = demux;
    this.#config = config;
    this.#log = logger.child({ component: 'DogstatsdServer' });
    this.#forwarder = forwarder;
    this.#drops = new DropCounter(this.#log);
    this.#parseErrors = new DropCounter(this.#log);
    this.#blocked = new DropCounter(demoteWarnings(this.#log));
    this.#queue = new RingBuffer(config.get(dogstatsdKeys.queueSize));
    this.#batcher = new Batcher(demux);
  }

  /** Reads the config (throws ERR_DOGSTATSD_INVALID_CONFIG naming the key) and accepts packets. */
  public onStart(): void {
    const config = this.#config;
    this.#eol = eolSettings(config.get(dogstatsdKeys.eolRequired));
    const reporter: ParseReporter = {
      parseError: (kind, line) => this.#parseError(kind, line),
      unterminated: () => {
        this.#unterminated += 1;
      },
    };
    const options = parserOptionsFromConfig(config);
    this.#parser = new PacketParser(options, reporter);
    if (options.blocklist !== undefined) {
      const { size, matchPrefix } = options.blocklist;
      this.#log.info({ names: size, matchPrefix }, 'dropping metrics by name (statsd_metric_blocklist / metric_filterlist), counted in dropped.blocklisted');
    }
    if (options.histogramCopyPrefix !== undefined) {
      this.#log.info({ prefix: options.histogramCopyPrefix }, 'copying histograms to distributions (histogram_copy_to_distribution)');
    }
    // Parse errors are logged at most once per second per kind, at debug when asked to be quiet.
    this.#parseErrors = new DropCounter(config.get(dogstatsdKeys.disableVerboseLogs) ? demoteWarnings(this.#log) : this.#log);
    this.#state = 'running';
  }

  public enqueue(packet: Buffer, source: PacketSource): void {
    if (this.#state !== 'running') {
      this.#drops.drop('not_running', 1, { state: this.#state });
      return;
    }
    // Before parsing, as the Agent's forwarder: the raw packet, whatever its content.
    this.#forwarder?.forward(packet);
    if (this.#queue.full) {
      this.#queueFull += 1;
      this.#drain();
    }
    this.#queue.push({ packet, source });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#onImmediate);
    }
  }

  public flush(): void {
    if (this.#state === 'running') this.#drain();
  }

  /** Parses what is queued, flushes every batch; returns once the demultiplexer took it all. */
  public onStop(): void {
    if (this.#state === 'running') this.#drain();
    this.#state = 'stopped';
    this.#drops.flushLog();
    this.#parseErrors.flushLog();
    this.#blocked.flushLog();
    if (this.#unterminated > 0) this.#log.warn({ unterminated: this.#unterminated }, 'dropped unterminated messages (dogstatsd_eol_required)');
    this.#log.debug({ ...this.telemetry() }, 'dogstatsd server stopped');
  }

  public telemetry(): Record<string, number> {
    const batcher = this.#batcher;
    return {
      packets: this.#packets,
      ...packetsFrom(this.#packetsFrom),
      bytes: this.#bytes,
      lines: this.#parser?.lines ?? 0,
      samples: batcher.samplesOut,
      events: batcher.eventsOut,
      service_checks: batcher.serviceChecksOut,
      queue_depth: this.#queue.length,
      queue_capacity: this.#queue.capacity,
      queue_full: this.#queueFull,
      unterminated_lines: this.#unterminated,
      cached_tag_strings: this.#parser?.cachedTagStrings ?? 0,
      tag_cache_sampling: this.#parser?.tagCacheSampling ?? 0,
      // Lines whose samples carried their tag string to the aggregator unsplit (not cached).
      unsplit_tag_lines: this.#parser?.keyedLines ?? 0,
      distribution_copies: this.#parser?.distributionCopies ?? 0,
      ...this.#parseErrors.snapshot('parse_errors'),
      ...this.#drops.snapshot(),
      ...this.#blocked.snapshot(),
    };
  }

  readonly #onImmediate = (): void => {
    this.#scheduled = false;
    if (this.#state === 'running') this.#drain();
  };

  #drain(): void {
    const parser = this.#parser;
    if (parser === undefined) return;
    const nowSec = Date.now() / 1000;
    const queue = this.#queue;
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      this.#packets += 1;
      this.#packetsFrom[item.source] += 1;
      this.#bytes += item.packet.length;
      try {
        parser.parse(item.packet, this.#eol[item.source], nowSec, this.#batcher);
      } catch (error) {
        // The parser handles every input; this is a bug, and it must not stop the server.
        this.#drops.drop('internal_error', 1, { err: error });
      }
    }
    // One count per drain, not per line: the parser only bumps an integer on the hot path.
    const blocked = parser.blockedSamples - this.#blockedReported;
    if (blocked > 0) {
      this.#blockedReported = parser.blockedSamples;
      this.#blocked.drop('blocklisted', blocked);
    }
    this.#batcher.flush();
  }

  #parseError(kind: ParseErrorKind, line: string): void {
    this.#parseErrors.drop(kind, 1, { message: line.length > MAX_LOGGED_LINE_CHARS ? `${line.slice(0, MAX_LOGGED_LINE_CHARS)}…` : line });
  }

  /** The demultiplexer this server pushes into (for tests and composition). */
  public get demultiplexer(): Demultiplexer {
    return this.#demux;
  }
}

function eolSettings(values: readonly string[]): Record<PacketSource, boolean> {
  for (const value of values) {
    if (!(EOL_TRANSPORTS as readonly string[]).includes(value)) {
      throw new DogstatsdError(
        DogstatsdErrorCode.InvalidConfig,
        `dogstatsd_eol_required: "${value}" is not a transport; use ${EOL_TRANSPORTS.map((t) => `"${t}"`).join(', ')}`,
      );
    }
  }
  return { udp: values.includes('udp'), uds: values.includes('uds'), tcp: values.includes('tcp'), http: false };
}

function packetsFrom(counts: Readonly<Record<PacketSource, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [source, n] of Object.entries(counts)) if (n > 0) out[`packets_from.${source}`] = n;
  return out;
}

/** A logger whose warnings are debug lines (`dogstatsd_disable_verbose_logs`). */
function demoteWarnings(log: Logger): Logger {
  return {
    trace: log.trace.bind(log),
    debug: log.debug.bind(log),
    info: log.info.bind(log),
    warn: log.debug.bind(log),
    error: log.error.bind(log),
    child: (bindings) => demoteWarnings(log.child(bindings)),
  };
}
