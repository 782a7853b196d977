import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';

/** Unix sockets are writable by anyone, readable by the owner only (as the Agent's). */
export const SOCKET_FILE_MODE = 0o722;

/**
 * Bytes of `sockaddr_un.sun_path`, the terminating NUL included: 108 on Linux, 104 on macOS
 * and the BSDs. A longer path is cut by some bind paths and refused by others, so it is checked
 * before binding.
 */
export const SUN_PATH_BYTES = process.platform === 'linux' ? 108 : 104;

/**
 * Fails with ERR_DOGSTATSD_SOCKET_PATH_TOO_LONG, naming `key`, the limit and the path's length,
 * when `path` (in bytes, as the kernel counts it) does not fit `sun_path` with its NUL.
 */
export function checkSocketPathLength(path: string, key: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes < SUN_PATH_BYTES) return;
  throw new DogstatsdError(
    DogstatsdErrorCode.SocketPathTooLong,
    `${key}: the socket path is ${bytes} bytes long, over the kernel's limit of ${SUN_PATH_BYTES - 1} bytes (sun_path is ${SUN_PATH_BYTES} bytes with the terminating NUL on ${process.platform}); choose a shorter path: "${path}"`,
  );
}

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
