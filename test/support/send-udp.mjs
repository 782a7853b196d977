// Sends DogStatsD lines over UDP from a separate process, as an application would, then exits.
// Usage: node send-udp.mjs <port> <file with one line per line> [lines per datagram=20]
// Packets are sent back to back; the process exits once the last send completed, so what the
// receiver has not read yet is still in its socket's kernel queue.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';

const [port, file, perDatagram = '20'] = process.argv.slice(2);
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
const socket = createSocket('udp4');
const size = Number(perDatagram);
let sent = 0;
for (let i = 0; i < lines.length; i += size) {
  await new Promise((resolve, reject) =>
    socket.send(lines.slice(i, i + size).join('\n'), Number(port), '127.0.0.1', (err) => (err ? reject(err) : resolve())),
  );
  sent += Math.min(size, lines.length - i);
}
socket.close();
process.stdout.write(`${sent}\n`);
