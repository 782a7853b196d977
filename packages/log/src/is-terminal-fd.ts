import { fstatSync } from 'node:fs';

/** Linux's major number of the memory devices (/dev/null, /dev/zero, /dev/full, /dev/random, …): never a terminal. */
const LINUX_MEMORY_DEVICES_MAJOR = 1;

/** The major number in a Linux `st_rdev` (glibc's `major()`: bits 8–19 and 32–43). */
function linuxMajor(rdev: number): number {
  return ((Math.floor(rdev / 2 ** 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff)) >>> 0;
}

/**
 * `tty.isatty(fd)`, with node:tty loaded only for a descriptor that may be a terminal: loading
 * it costs a process ~0.2 MB of RSS, and an agent's stderr is most often a pipe, a socket, a
 * file or /dev/null. A terminal is a character device, so anything else is answered by one
 * fstat; on Linux so is /dev/null (a memory device). Any other character device (a terminal, a
 * serial line, /dev/tty) is asked of node:tty. Never throws: a descriptor that is not open, or
 * not a valid descriptor number, is no terminal (as isatty says).
 */
export function isTerminalFd(fd: number): boolean {
  let rdev: number;
  try {
    const stats = fstatSync(fd);
    if (!stats.isCharacterDevice()) return false;
    rdev = stats.rdev;
  } catch {
    return false;
  }
  if (process.platform === 'linux' && linuxMajor(rdev) === LINUX_MEMORY_DEVICES_MAJOR) return false;
  return process.getBuiltinModule('node:tty').isatty(fd);
}
