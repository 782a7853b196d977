import { BlockList, isIP } from 'node:net';

/**
 * 127.0.0.0/8, ::1 and the IPv4-mapped 127.0.0.0/8. Made on first use, not at load: a BlockList
 * holds a native handle, which a V8 startup snapshot of the module (the single executable's,
 * scripts/binary/snapshot-main.cjs) cannot contain.
 */
let loopback: BlockList | undefined;

/** Whether `address` is an IP literal (v4 or v6, no brackets) of this machine's loopback. Names are not resolved: `localhost` is false. */
export function isLoopbackIp(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (loopback === undefined) {
    loopback = new BlockList();
    loopback.addSubnet('127.0.0.0', 8, 'ipv4');
    loopback.addAddress('::1', 'ipv6');
    loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
  }
  return loopback.check(address, family === 6 ? 'ipv6' : 'ipv4');
}
