import type { DogstatsdServer, PacketSource } from './server.def.js';

/** Records the packets listeners hand over, in order. For testing a listener alone. */
export class FakeDogstatsdServer implements DogstatsdServer {
  public readonly packets: { readonly packet: Buffer; readonly source: PacketSource }[] = [];
  public flushes = 0;

  public enqueue(packet: Buffer, source: PacketSource): void {
    this.packets.push({ packet, source });
  }

  public flush(): void {
    this.flushes += 1;
  }

  /** Every packet's text (UTF-8), in order. */
  public texts(): string[] {
    return this.packets.map((p) => p.packet.toString('utf8'));
  }
}
