import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * For tests: a UDP port that was free on `host` a moment ago, to give a process or a config
 * key that must be told its port (`dogstatsd_port: 0` means "UDP off", as in the Datadog Agent,
 * so it cannot ask for "any port"). The kernel picks it among its ephemeral ports at random,
 * so another process taking it before it is bound again is unlikely, not impossible.
 */
export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** For tests: a TCP port that was free on `host` a moment ago (same caveat as {@link freeUdpPort}). */
export function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
