import { CONFIG, DropCounter, inject, injectable, LOGGER, type ConfigReader, type Logger, type TelemetrySource } from '@agentkit/core';
import { FORWARDER, type ClockTimer, type Clock, type Forwarder } from '@agentkit/forwarder';
import { createCompressor, serializerKeys, type Compressor } from '@agentkit/serializer';
import { buildHostPayload, collectHostFacts, type HostFacts } from './host-payload.js';
import { HOST_METADATA_CLOCK, type HostMetadata, type HostPayload } from './host-metadata.def.js';
import { nextHostMetadataDelayMs } from './host-schedule.js';

/**
 * HostMetadata through the forwarder: the payload JSON, compressed as the serializer
 * compresses (`serializer_compressor_kind`), to `/intake/`. The first send is part of the
 * start; the resends run on `HOST_METADATA_CLOCK`, never overlap, and stop with this component
 * (before the forwarder, which it injects). A payload that cannot be built or compressed is
 * counted and logged (`build_error`), and the schedule goes on.
 */
@injectable()
export class ForwarderHostMetadata implements HostMetadata, TelemetrySource {
  readonly #forwarder: Forwarder;
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #drops: DropCounter;
  readonly #compressor: Compressor;
  readonly #facts: HostFacts;
  #timer: ClockTimer | undefined;
  #delayMs: number | undefined;
  #sending: Promise<void> | undefined;
  #stopped = false;
  #sent = 0;

  public constructor(
    @inject(FORWARDER) forwarder: Forwarder,
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
    @inject(HOST_METADATA_CLOCK) clock: Clock,
  ) {
    this.#forwarder = forwarder;
    this.#config = config;
    this.#log = logger.child({ component: 'HostMetadata' });
    this.#clock = clock;
    this.#drops = new DropCounter(this.#log);
    // No logger: the serializer already says once when zstd falls back to zlib.
    this.#compressor = createCompressor(config.get(serializerKeys.compressorKind), { zstdLevel: config.get(serializerKeys.zstdCompressorLevel) });
    this.#facts = collectHostFacts();
  }

  public get sent(): number {
    return this.#sent;
  }

  public payload(): HostPayload {
    return buildHostPayload(this.#config, this.#facts);
  }

  public async onStart(): Promise<void> {
    await this.#send();
    this.#scheduleNext();
  }

  /** Cancels the next resend and waits for one under way (it only compresses: it is short). */
  public async onStop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#sending;
    this.#drops.flushLog();
  }

  public telemetry(): Record<string, number> {
    return { payloads_sent: this.#sent, ...this.#drops.snapshot() };
  }

  #scheduleNext(): void {
    if (this.#stopped) return;
    const delayMs = nextHostMetadataDelayMs(this.#delayMs);
    this.#delayMs = delayMs;
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.#sending = this.#send().finally(() => {
        this.#sending = undefined;
        this.#scheduleNext();
      });
    }, delayMs);
  }

  /** Builds, compresses and submits one payload; never rejects. */
  async #send(): Promise<void> {
    let payload: HostPayload;
    let body: Buffer;
    try {
      payload = this.payload();
      body = await this.#compressor.compress(Buffer.from(JSON.stringify(payload), 'utf8'));
    } catch (error) {
      this.#drops.drop('build_error', 1, { error });
      return;
    }
    const encoding = this.#compressor.contentEncoding;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (encoding !== undefined) headers['Content-Encoding'] = encoding;
    this.#forwarder.submit({ endpoint: 'intake', body, headers, itemCount: 1 });
    this.#sent++;
    const hostTags = payload['host-tags'].system;
    if (this.#sent === 1) this.#log.info({ host: payload.internalHostname, hostTags }, `host metadata sent for ${JSON.stringify(payload.internalHostname)} with ${hostTags.length} host tag(s)`);
    else this.#log.debug({ host: payload.internalHostname, sent: this.#sent }, 'host metadata sent again');
  }
}
