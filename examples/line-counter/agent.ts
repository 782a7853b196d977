// A small custom agent built from the public API: a UDP listener that pushes each line to a
// counter, and an optional heartbeat bundle that config switches on. Run by agent.test.ts.
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { bundle, CONFIG, createApp, inject, injectable, LOGGER, provide, token, type App, type ConfigReader, type Logger } from '@agentkit/core';

/** Counts lines by metric name (the text before the first ':'). */
export class LineCounter {
  public readonly counts = new Map<string, number>();

  public add(line: string): void {
    const name = line.slice(0, line.indexOf(':') >>> 0 || line.length);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  public total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
}

export const LINE_COUNTER = token<LineCounter>('LineCounter');
export const UDP_LISTENER = token<UdpLineListener>('UdpLineListener');
export const HEARTBEAT = token<Heartbeat>('Heartbeat');

/** Receives newline-separated lines over UDP and pushes them to the counter it injects. */
@injectable()
export class UdpLineListener {
  readonly #counter: LineCounter;
  readonly #port: number;
  #socket: Socket | undefined;

  public constructor(@inject(LINE_COUNTER) counter: LineCounter, @inject(CONFIG) config: ConfigReader) {
    this.#counter = counter;
    this.#port = Number(config.get('example_port') ?? 0);
  }

  public get port(): number {
    const address: AddressInfo | undefined = this.#socket?.address();
    return address?.port ?? 0;
  }

  public async onStart(): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (packet) => {
      for (const line of packet.toString('utf8').split('\n')) if (line.length > 0) this.#counter.add(line);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.#port, '127.0.0.1', () => resolve());
    });
    this.#socket = socket;
  }

  public async onStop(): Promise<void> {
    // The counter is still running (it is a dependency): lines already delivered are kept.
    await new Promise<void>((resolve) => this.#socket?.close(() => resolve()) ?? resolve());
  }
}

/** Logs the running total at an interval; only present when `example_heartbeat` is true. */
@injectable()
export class Heartbeat {
  readonly #counter: LineCounter;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  public beats = 0;

  public constructor(@inject(LINE_COUNTER) counter: LineCounter, @inject(LOGGER) log: Logger) {
    this.#counter = counter;
    this.#log = log;
  }

  public onStart(): void {
    this.#timer = setInterval(() => {
      this.beats += 1;
      this.#log.info({ lines: this.#counter.total() }, 'heartbeat');
    }, 20);
    this.#timer.unref();
  }

  public onStop(): void {
    clearInterval(this.#timer);
  }
}

export const ingestBundle = bundle('ingest', [provide(UDP_LISTENER, UdpLineListener), provide(LINE_COUNTER, LineCounter)]);

export const heartbeatBundle = bundle('heartbeat', [provide(HEARTBEAT, Heartbeat)], {
  enabled: (config) => config.get('example_heartbeat') === true,
});

export function createLineCounterAgent(config: Readonly<Record<string, unknown>>, logger?: Logger): App {
  return createApp([ingestBundle, heartbeatBundle], { config, ...(logger === undefined ? {} : { logger }) });
}
