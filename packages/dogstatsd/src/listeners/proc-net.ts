import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Socket } from 'node:dgram';

/** One row of /proc/net/udp for our socket. */
export interface UdpSocketQueue {
  /** Bytes waiting in the kernel receive queue (`rx_queue`, skb truesize included). */
  readonly rxQueueBytes: number;
  /** Datagrams the kernel dropped for this socket (`drops`: buffer full). */
  readonly drops: number;
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/**
 * The inode of a bound dgram socket, through /proc/self/fd/<fd> → `socket:[inode]`. The fd
 * comes from Node's internal handle when reachable; otherwise every socket fd of the process
 * is a candidate and the caller matches the port. Linux only; undefined elsewhere.
 */
export function udpSocketInodes(socket: Socket): readonly string[] {
  if (process.platform !== 'linux') return [];
  const fd = internalFd(socket);
  const fds = fd === undefined ? listFds() : [String(fd)];
  const inodes: string[] = [];
  for (const entry of fds) {
    try {
      const match = SOCKET_LINK.exec(readlinkSync(`/proc/self/fd/${entry}`));
      if (match?.[1] !== undefined) inodes.push(match[1]);
    } catch {
      // The fd was closed meanwhile.
    }
  }
  return inodes;
}

function internalFd(socket: Socket): number | undefined {
  // `socket._handle` is deprecated (and warns); the same handle sits under the state symbol.
  const symbol = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  if (symbol === undefined) return undefined;
  const state = (socket as unknown as Record<symbol, { handle?: { fd?: unknown } } | undefined>)[symbol];
  const fd = state?.handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

function listFds(): string[] {
  try {
    return readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
}

/**
 * Reads our socket's row in /proc/net/udp (or udp6): the row whose inode is one of `inodes`
 * and whose local port is `port`. Undefined when not found (not Linux, socket closed).
 */
export function readUdpSocketQueue(inodes: readonly string[], port: number): UdpSocketQueue | undefined {
  if (inodes.length === 0) return undefined;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    const found = findRow(text, inodes, port);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Parses /proc/net/udp text (exported for tests). Columns: sl local rem st tx:rx tr:when retr uid timeout inode ref ptr drops. */
export function findRow(text: string, inodes: readonly string[], port: number): UdpSocketQueue | undefined {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const cols = (lines[i] ?? '').trim().split(/\s+/);
    if (cols.length < 13) continue;
    const inode = cols[9] ?? '';
    if (!inodes.includes(inode)) continue;
    const local = cols[1] ?? '';
    if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
    const queues = cols[4] ?? '';
    return {
      rxQueueBytes: parseInt(queues.slice(queues.indexOf(':') + 1), 16),
      drops: Number(cols[12]),
    };
  }
  return undefined;
}
