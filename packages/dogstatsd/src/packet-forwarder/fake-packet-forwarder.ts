import type { PacketForwarder } from './packet-forwarder.def.js';

/** Records the packets it is asked to forward, in order. For testing the server alone. */
export class FakePacketForwarder implements PacketForwarder {
  public readonly packets: Buffer[] = [];
  public forwarding = true;

  public forward(packet: Buffer): void {
    this.packets.push(packet);
  }

  public telemetry(): Record<string, number> {
    return { packets: this.packets.length };
  }
}
