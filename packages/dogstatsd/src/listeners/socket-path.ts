import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';

/** Unix sockets are writable by anyone, readable by the owner only (as the Agent's). */
export const SOCKET_FILE_MODE = 0o722;

/**
 * Removes a stale socket file at `path` before binding; refuses (naming `key`) to remove
 * anything that is not a socket.
 */
export function removeStaleSocket(path: string, key: string): void {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new DogstatsdError(DogstatsdErrorCode.ListenerStart, `${key}: cannot inspect "${path}": ${(error as Error).message}`, { cause: error });
  }
  if (!isSocket) {
    throw new DogstatsdError(DogstatsdErrorCode.SocketPathInUse, `${key}: "${path}" exists and is not a socket; remove it or choose another path`);
  }
  unlinkSync(path);
}

export function setSocketMode(path: string): void {
  chmodSync(path, SOCKET_FILE_MODE);
}

/** Removes our socket file at stop, if it is still a socket. Never throws. */
export function removeSocketFile(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
