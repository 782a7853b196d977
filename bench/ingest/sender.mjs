// The UDP sender of bench/ingest/ingest.mjs, in its own process so that sender and receiver
// do not share a core (or an event loop). Usage: node sender.mjs <port> <packets/s> <seconds>
// Paced: every tick it sends what is due since the start; reports {sent} on stdout.
import { createSocket } from 'node:dgram';
import { makePackets } from './packets.mjs';

const [port, pps, seconds] = process.argv.slice(2).map(Number);
const packets = makePackets();
const socket = createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 });
await new Promise((resolve) => socket.connect(port, '127.0.0.1', resolve));

const total = Math.round(pps * seconds);
let sent = 0;
const start = performance.now();
await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * pps));
    // Bound what waits in Node's own send queue: past that the sender is the bottleneck.
    while (sent < due && socket.getSendQueueCount() < 1024) {
      socket.send(packets[sent % packets.length]);
      sent += 1;
    }
    if (sent >= total) resolve();
    else setImmediate(tick);
  };
  tick();
});
const elapsed = (performance.now() - start) / 1000;
const waitQueue = () => (socket.getSendQueueCount() === 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, 1)).then(waitQueue));
await waitQueue();
socket.close();
process.stdout.write(JSON.stringify({ sent, elapsed }));
