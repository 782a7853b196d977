import { isIP } from 'node:net';
import type { ConfigKeyRef, ConfigReader } from '@agentkit/core';
import { commonKeys } from '@agentkit/config';
import { dogstatsdKeys } from '../config-keys.js';
import { DogstatsdError, DogstatsdErrorCode } from '../errors.js';

/** Where a DogStatsD network listener binds, and which key decided it (for messages). */
export interface ListenAddress {
  /** An IP literal: `::` for every interface. */
  readonly host: string;
  /** True for the unspecified address: one IPv6 socket that also takes IPv4 (IPV6_V6ONLY off). */
  readonly dualStack: boolean;
  readonly family: 4 | 6;
  /** The non-local key (`dogstatsd_non_local_traffic`, …) or `bind_host`. */
  readonly key: string;
}

/**
 * The address the UDP (and TCP) listener binds, as the Datadog Agent decides it:
 * `dogstatsd_non_local_traffic` listens on every interface; otherwise `bind_host`. The Agent
 * resolves `bind_host:port` with Go's `net.ResolveUDPAddr("udp", …)`, which takes a name's
 * first IPv4 address (its first address when it has none), so `localhost` is 127.0.0.1 even
 * where ::1 is listed first. Go listens on an unspecified address (`0.0.0.0`, `::`, or none:
 * an empty `bind_host`) with one dual-stack IPv6 socket, so those mean IPv4 and IPv6 here too.
 * A name that does not resolve fails the start with ERR_DOGSTATSD_LISTENER_START naming
 * `bind_host` (the Agent logs it and runs without UDP). `nonLocal` is the key that means "every
 * interface" for this listener: the trace agent's receiver decides the same way with
 * `apm_config.apm_non_local_traffic`.
 */
export async function listenAddress(config: ConfigReader, nonLocal: ConfigKeyRef<boolean> = dogstatsdKeys.nonLocalTraffic): Promise<ListenAddress> {
  if (config.get(nonLocal)) return { host: '::', dualStack: true, family: 6, key: nonLocal.key };
  const bindHost = config.get(commonKeys.bindHost);
  // Empty is Go's `:port`: no address, every interface (as the Agent with `bind_host: ""`).
  // `localhost` is tested first: `isIP` on a name compiles Node's IPv6 pattern (seen in a cold start's CPU profile).
  const ip = bindHost.toLowerCase() === 'localhost' ? LOCALHOST_IPV4 : isIP(bindHost) !== 0 || bindHost === '' ? bindHost : await resolveFirstIPv4(bindHost);
  if (ip === '' || ip === '0.0.0.0' || ip === '::') return { host: '::', dualStack: true, family: 6, key: 'bind_host' };
  return { host: ip, dualStack: false, family: isIP(ip) === 6 ? 6 : 4, key: 'bind_host' };
}

/**
 * The default `bind_host` without a lookup: `localhost` is loopback (RFC 6761) and its first IPv4
 * address is 127.0.0.1, which is what the resolver answers here too. The lookup would start
 * libuv's thread pool for getaddrinfo on every start (a few ms of `agentkit exec`'s cold start).
 */
const LOCALHOST_IPV4 = '127.0.0.1';

async function resolveFirstIPv4(name: string): Promise<string> {
  let addresses: { address: string; family: number }[];
  try {
    // node:dns/promises is loaded here, not with this module: `agentkit exec` binds before its
    // program starts, and a `bind_host` that is an IP or `localhost` (the default) needs no lookup.
    addresses = await process.getBuiltinModule('node:dns/promises').lookup(name, { all: true });
  } catch (error) {
    throw new DogstatsdError(DogstatsdErrorCode.ListenerStart, `bind_host: cannot resolve "${name}": ${(error as Error).message}`, { cause: error });
  }
  const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
  if (chosen === undefined) throw new DogstatsdError(DogstatsdErrorCode.ListenerStart, `bind_host: "${name}" resolves to no address`);
  return chosen.address;
}

/** `host:port` as a person writes it (`[::]:8125`). */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
