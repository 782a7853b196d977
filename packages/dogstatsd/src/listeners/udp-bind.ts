import { createSocket, type Socket } from 'node:dgram';
import type { ConfigReader, Logger } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';
import { formatHostPort, listenAddress, type ListenAddress } from './listen-address.js';

/** A bound DogStatsD UDP socket and the address rule that chose where. */
export interface BoundUdpSocket {
  readonly socket: Socket;
  readonly address: ListenAddress;
}

/**
 * Binds the DogStatsD UDP socket on `dogstatsd_port` (positive: the caller checks), at
 * {@link listenAddress}, with `dogstatsd_so_rcvbuf`; `onMessage` is attached before the bind,
 * so no datagram is read without it. On a host without IPv6 a dual-stack bind falls back to
 * 0.0.0.0 (warned). Rejects with ERR_DOGSTATSD_LISTENER_START naming the address and its key.
 */
export async function bindUdpSocket(config: ConfigReader, log: Logger, onMessage: (packet: Buffer) => void): Promise<BoundUdpSocket> {
  const port = config.get(dogstatsdKeys.port);
  const requested = config.get(dogstatsdKeys.soRcvbuf);
  const address = await listenAddress(config);
  try {
    return { socket: await bindOne(address, port, requested, onMessage), address };
  } catch (error) {
    if (!address.dualStack || !isNoIPv6(error)) throw listenError(address, port, error);
    // No IPv6 on this host: every interface is then every IPv4 interface.
    log.warn({ err: error }, 'IPv6 is unavailable: DogStatsD listens on IPv4 only (0.0.0.0)');
    const ipv4: ListenAddress = { host: '0.0.0.0', dualStack: false, family: 4, key: address.key };
    try {
      return { socket: await bindOne(ipv4, port, requested, onMessage), address: ipv4 };
    } catch (e) {
      throw listenError(ipv4, port, e);
    }
  }
}

/** Binds a new socket (closed again when the bind fails). */
async function bindOne(address: ListenAddress, port: number, recvBufferBytes: number, onMessage: (packet: Buffer) => void): Promise<Socket> {
  const socket = createSocket({
    type: address.family === 6 ? 'udp6' : 'udp4',
    ...(address.dualStack ? { ipv6Only: false } : {}),
    ...(recvBufferBytes > 0 ? { recvBufferSize: recvBufferBytes } : {}),
  });
  socket.on('message', onMessage);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** The errors of a dual-stack bind on a host without IPv6. */
function isNoIPv6(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL' || code === 'EPROTONOSUPPORT';
}

function listenError(address: ListenAddress, port: number, error: unknown): DogstatsdError {
  const where = formatHostPort(address.host, port);
  return new DogstatsdError(DogstatsdErrorCode.ListenerStart, `dogstatsd_port: cannot listen on UDP ${where} (from ${address.key}): ${(error as Error).message}`, {
    cause: error,
  });
}
