// A bare local intake for bench/drain, in its own process so the agent's event loop and CPU
// time are not charged for receiving: reads each body, answers 202 (validate: 200), and tells
// the parent over IPC how many payloads and bytes it has received.
import { createServer } from 'node:http';

let payloads = 0;
let bytes = 0;
const server = createServer((req, res) => {
  let size = 0;
  req.on('data', (chunk) => (size += chunk.length));
  req.on('end', () => {
    if (req.url?.startsWith('/api/v1/validate')) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"valid":true}');
      return;
    }
    payloads += 1;
    bytes += size;
    res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
    process.send?.({ payloads, bytes });
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
