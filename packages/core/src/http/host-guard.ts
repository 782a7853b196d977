import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { isLoopbackIp } from '../net/loopback.js';
import type { Logger } from '../built-ins.js';
import { DropCounter } from '../telemetry/drop-counter.js';

/** The config key (declared in @agentkit/config) whose names a HostGuard also answers to. */
export const ALLOWED_HOSTS_KEY = 'local_server_allowed_hosts';

/** Why a request was refused; each is a counter `refused.<reason>` in the server's telemetry. */
export type HostGuardReason = 'host' | 'origin';

export interface HostGuardOptions {
  /**
   * Names the user configured (`local_server_allowed_hosts`): `name`, `name:port` (the port is
   * ignored) or `*.name` for any subdomain of `name`. Case and a trailing dot do not matter.
   */
  readonly allowedHosts?: readonly string[];
  /** The host the server was told to bind, when it is a name rather than an IP literal. */
  readonly boundHost?: string;
  /** Where refusals are logged (once per reason per second, with the refused name). */
  readonly logger: Logger;
}

/** What the guard decided for one request. */
export type HostVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: HostGuardReason; readonly status: 421 | 403 };

/** Methods a browser may send cross-site without changing anything on our side. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Longest refused name kept in a log line: the header is the client's, not ours. */
const MAX_LOGGED_NAME = 100;

/**
 * Refuses requests addressed to a name that is not ours (DNS rebinding: a page on a domain the
 * attacker controls, re-pointed at 127.0.0.1, reads our answers as same-origin) and
 * state-changing requests a browser sends from another site (a cross-site `Origin`).
 *
 * `Host` may be: an IP literal (a browser only sends one when the page itself is at that
 * address, so no name was rebound), `localhost` or `*.localhost` (browsers resolve those to
 * loopback themselves, RFC 6761), the bound name, or a configured name; any port. Without a
 * `Host` (HTTP/1.0) the request is no browser's and passes. `Origin`, sent by browsers only,
 * names the page's site: on a POST/PUT/DELETE… it must be loopback (an IP in 127.0.0.0/8 or
 * ::1), `localhost`, the bound name or a configured name. `Origin: null` is refused there too.
 *
 * One guard per server; `admit()` is called first in its request handler. Safe before start
 * and after stop; never throws.
 */
export class HostGuard {
  readonly #exact = new Set<string>();
  readonly #suffixes: string[] = [];
  readonly #refused: DropCounter;

  public constructor(options: HostGuardOptions) {
    this.#refused = new DropCounter(options.logger, { verb: 'refused' });
    const names = [...(options.allowedHosts ?? []), ...(options.boundHost === undefined ? [] : [options.boundHost])];
    for (const entry of names) {
      const trimmed = entry.trim().toLowerCase();
      if (trimmed.startsWith('*.')) {
        const base = normalise(trimmed.slice(2));
        if (base !== undefined && base !== '') this.#suffixes.push(`.${base}`);
        continue;
      }
      const name = hostnameOf(trimmed);
      if (name !== undefined && name !== '') this.#exact.add(name);
    }
  }

  /** The verdict for one request, counting nothing (see {@link admit}). */
  public check(req: IncomingMessage): HostVerdict {
    const host = req.headers.host;
    if (host !== undefined && !this.#hostAllowed(host)) return { ok: false, reason: 'host', status: 421 };
    const origin = req.headers.origin;
    if (origin !== undefined && !SAFE_METHODS.has(req.method ?? 'GET') && !this.#originAllowed(origin)) {
      return { ok: false, reason: 'origin', status: 403 };
    }
    return { ok: true };
  }

  /**
   * True when the request may be served. Otherwise it has been answered (421 for a foreign
   * `Host`, 403 for a cross-site `Origin`, a short text naming the config key, no data),
   * counted and logged (rate-limited, with the refused name cut to 100 characters; no body,
   * no other header), and the handler must not touch `res` again.
   */
  public admit(req: IncomingMessage, res: ServerResponse): boolean {
    const verdict = this.check(req);
    if (verdict.ok) return true;
    const name = verdict.reason === 'host' ? req.headers.host : req.headers.origin;
    this.#refused.drop(verdict.reason, 1, { [verdict.reason]: (name ?? '').slice(0, MAX_LOGGED_NAME), method: req.method });
    const body =
      verdict.reason === 'host'
        ? `refused: this server answers only to its own names (the address it listens on, localhost, or a name in ${ALLOWED_HOSTS_KEY})\n`
        : `refused: a ${req.method ?? ''} from another site's page (Origin); allow its host in ${ALLOWED_HOSTS_KEY} if it is yours\n`;
    // The request body is not read: close the connection rather than drain it.
    res.writeHead(verdict.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', Connection: 'close' });
    res.end(body);
    return false;
  }

  /** `refused.host` / `refused.origin` once one was refused (as `dropped.*`), for the server's telemetry. */
  public telemetry(): Record<string, number> {
    return this.#refused.snapshot('refused');
  }

  /** Requests refused for `reason`, or for both reasons. */
  public refused(reason?: HostGuardReason): number {
    return this.#refused.count(reason);
  }

  /** Logs refusals not yet reported; call from the server's onStop. */
  public flushLog(): void {
    this.#refused.flushLog();
  }

  #hostAllowed(header: string): boolean {
    const name = hostnameOf(header.trim().toLowerCase());
    if (name === undefined) return false;
    return isIP(name) !== 0 || this.#isOwnName(name);
  }

  #originAllowed(header: string): boolean {
    let name: string | undefined;
    try {
      name = hostnameOf(new URL(header).host.toLowerCase());
    } catch {
      return false; // "null" (sandboxed frames, file: pages) and anything unparsable
    }
    if (name === undefined) return false;
    return isLoopbackIp(name) || this.#isOwnName(name);
  }

  #isOwnName(name: string): boolean {
    if (name === 'localhost' || name.endsWith('.localhost')) return true;
    if (this.#exact.has(name)) return true;
    return this.#suffixes.some((suffix) => name.endsWith(suffix));
  }
}

/**
 * The host name of a `Host`/authority value, lower-cased, without port, brackets or a final
 * dot: `[::1]:8127` → `::1`, `LocalHost.:80` → `localhost`. Undefined for a malformed one.
 */
function hostnameOf(authority: string): string | undefined {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    if (end < 0) return undefined;
    const rest = authority.slice(end + 1);
    if (rest !== '' && !/^:\d*$/.test(rest)) return undefined;
    const ip = authority.slice(1, end);
    return isIP(ip) === 6 ? ip : undefined;
  }
  const colon = authority.indexOf(':');
  if (colon >= 0 && !/^\d*$/.test(authority.slice(colon + 1))) return undefined;
  return normalise(colon < 0 ? authority : authority.slice(0, colon));
}

/** A DNS name or IPv4 literal without its final dot; undefined when it holds anything else. */
function normalise(name: string): string | undefined {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(bare) || bare === '' ? bare : undefined;
}
