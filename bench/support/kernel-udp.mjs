import { readFileSync } from 'node:fs';

/** Udp: counters from /proc/net/snmp (Linux; system-wide), or undefined elsewhere. */
export function kernelUdp() {
  try {
    const lines = readFileSync('/proc/net/snmp', 'latin1').split('\n').filter((l) => l.startsWith('Udp:'));
    const names = lines[0].split(/\s+/).slice(1);
    const numbers = lines[1].split(/\s+/).slice(1).map(Number);
    return Object.fromEntries(names.map((n, i) => [n, numbers[i]]));
  } catch {
    return undefined;
  }
}
