import { inject, injectable } from '@agentkit/core';
import { DOGSTATSD_SERVER, type DogstatsdServer, type PacketSource } from '../server/server.def.js';
import type { MemoryListener } from './listener.def.js';

/** The in-memory listener: packets come from `inject()` instead of a socket. For tests. */
@injectable()
export class InMemoryListener implements MemoryListener {
  readonly #server: DogstatsdServer;
  public packets = 0;

  public constructor(@inject(DOGSTATSD_SERVER) server: DogstatsdServer) {
    this.#server = server;
  }

  public inject(packet: Buffer | string, source: PacketSource = 'udp'): void {
    this.packets += 1;
    this.#server.enqueue(typeof packet === 'string' ? Buffer.from(packet, 'utf8') : packet, source);
  }

  public telemetry(): Record<string, number> {
    return { packets: this.packets };
  }
}
