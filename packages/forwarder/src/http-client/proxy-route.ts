import { isLoopbackIp } from '@agentkit/core';
import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { HttpClientSettings } from './http-client-settings.js';

/**
 * The proxy a request to `target` goes through, or undefined for a direct connection: the
 * Datadog Agent's rules (pkg/util/http/transport.go `GetProxyTransportFunc`). `https:` targets
 * use `proxy.https` only, `http:` targets `proxy.http` only. `no_proxy` is matched:
 * - by default, exactly: an entry equal to the URL's `host[:port]` (as the WHATWG URL writes
 *   it: lower-case, default port dropped) bypasses the proxy, and nothing else does;
 * - with `no_proxy_nonexact_match`, as Go's `golang.org/x/net/http/httpproxy` does (see
 *   {@link NoProxyMatcher}), where `localhost` and loopback addresses never use a proxy.
 * Pure and synchronous; call it once per origin (the HTTP client caches the answer).
 */
export function proxyFor(target: URL, settings: HttpClientSettings): URL | undefined {
  const proxy = target.protocol === 'https:' ? settings.httpsProxy : target.protocol === 'http:' ? settings.httpProxy : undefined;
  if (proxy === undefined) return undefined;
  if (!settings.noProxyNonexactMatch) return settings.noProxy.includes(target.host) ? undefined : proxy;
  return new NoProxyMatcher(settings.noProxy).bypasses(target) ? undefined : proxy;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

interface HostPattern {
  /** `.example.com`: matches names ending with it. */
  readonly suffix: string;
  /** The entry named the domain itself too (`example.com`, not `.example.com`). */
  readonly matchesItself: boolean;
  readonly port: string;
}

interface IpPattern {
  readonly list: BlockList;
  /** Empty: any port. */
  readonly port: string;
}

/**
 * `no_proxy` as Go's `httpproxy` reads it: `*` bypasses everything; `10.0.0.0/8` and
 * `fd00::/8` bypass addresses in the range; `1.2.3.4`, `[::1]:8080` an address (on one port);
 * `example.com` the domain and its subdomains, `.example.com` and `*.example.com` only the
 * subdomains, each optionally with `:port`. Entries are trimmed and lower-cased; malformed
 * ones are ignored, as Go ignores them.
 */
export class NoProxyMatcher {
  readonly #all: boolean;
  readonly #ranges = new BlockList();
  readonly #ips: IpPattern[] = [];
  readonly #hosts: HostPattern[] = [];

  public constructor(entries: readonly string[]) {
    let all = false;
    // The Agent joins the list with commas and Go splits it again: `a,b` in one entry is two.
    for (const raw of entries.flatMap((e) => e.split(','))) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      if (entry === '*') {
        all = true;
        break;
      }
      if (this.#addRange(entry)) continue;
      const { host, port } = splitHostPort(entry);
      if (host === '') continue;
      const family = isIP(host);
      if (family !== 0) {
        const list = new BlockList();
        list.addAddress(host, family === 6 ? 'ipv6' : 'ipv4');
        this.#ips.push({ list, port });
        continue;
      }
      const name = host.startsWith('*.') ? host.slice(1) : host;
      const matchesItself = !name.startsWith('.');
      const suffix = toAscii(matchesItself ? `.${name}` : name);
      this.#hosts.push({ suffix, matchesItself, port });
    }
    this.#all = all;
  }

  /** True when a request to `target` must not use the proxy. */
  public bypasses(target: URL): boolean {
    const host = stripBrackets(target.hostname.toLowerCase());
    const port = target.port === '' ? (DEFAULT_PORTS[target.protocol] ?? '') : target.port;
    if (host === 'localhost') return true;
    const family = isIP(host);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (isLoopbackIp(host)) return true;
    if (this.#all) return true;
    if (family !== 0) {
      if (this.#ranges.check(host, type)) return true;
      if (this.#ips.some((ip) => ip.list.check(host, type) && (ip.port === '' || ip.port === port))) return true;
    }
    return this.#hosts.some(
      (h) => (host.endsWith(h.suffix) || (h.matchesItself && host === h.suffix.slice(1))) && (h.port === '' || h.port === port),
    );
  }

  #addRange(entry: string): boolean {
    const slash = entry.indexOf('/');
    if (slash < 0) return false;
    const address = entry.slice(0, slash);
    const prefix = Number(entry.slice(slash + 1));
    const family = isIP(address);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) return false;
    this.#ranges.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
    return true;
  }
}

/** Go's `net.SplitHostPort`, lenient: no port (or a bare IPv6 address) gives an empty port. */
function splitHostPort(entry: string): { host: string; port: string } {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) return { host: '', port: '' };
    const rest = entry.slice(close + 1);
    return { host: entry.slice(1, close), port: rest.startsWith(':') ? rest.slice(1) : '' };
  }
  const colon = entry.lastIndexOf(':');
  // Two colons or more without brackets is an IPv6 address, not host:port.
  if (colon < 0 || entry.indexOf(':') !== colon) return { host: entry, port: '' };
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function toAscii(name: string): string {
  const ascii = domainToASCII(name.slice(1));
  return ascii === '' ? name : `.${ascii}`;
}
