import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { TransportError, TransportErrorCode } from './transport-error.js';

/** The TLS settings of every connection the client makes (`skip_ssl_validation`, `min_tls_version`). */
export interface ClientTlsOptions {
  readonly rejectUnauthorized: boolean;
  readonly minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

/** Node's `http.Agent#createConnection` in its asynchronous form (the socket goes to `callback`). */
export type CreateConnection = (options: { host?: string | null; port?: number | string | null }, callback: (error: Error | null, socket?: Duplex) => void) => undefined;

/** `Basic …` from the proxy URL's credentials (percent-decoded), as Go's transport sends them; undefined without any. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
}

/** `[::1]` → `::1`: what `net.connect` takes. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** The port a URL means, its scheme's default when it names none. */
export function portOf(url: URL): number {
  return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

/** SNI: the host name, never an address literal (RFC 6066; Node warns on one). */
export function serverName(host: string): string | undefined {
  return isIP(host) === 0 ? host : undefined;
}

/**
 * The `createConnection` of a keep-alive `https.Agent` whose connections go through `proxy`:
 * a `CONNECT host:port` to the proxy (over TLS when the proxy is `https:`, under `tls`), with
 * `Proxy-Authorization: Basic` from its URL, then TLS to the intake inside the tunnel under the
 * same settings, SNI the intake's name. Each tunnel is one pooled connection of the agent, kept
 * alive and reused as a direct one is. The tunnel must be up within `timeoutMs`, else
 * `ERR_HTTP_CONNECT_TIMEOUT`; a proxy answering other than 200 is `ERR_HTTP_PROXY_REFUSED`,
 * naming the proxy as `label` (password starred) and its status; the proxy's own failures
 * (ECONNREFUSED, its certificate) keep their codes. The TLS handshake inside is timed by the
 * request, as a direct connection's is.
 */
export function tunnelThrough(proxy: URL, label: string, tls: ClientTlsOptions, timeoutMs: number): CreateConnection {
  const proxyHost = bareHost(proxy.hostname);
  const auth = proxyAuthorization(proxy);
  return (options, callback) => {
    const host = options.host ?? 'localhost';
    const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${String(options.port)}`;
    let settled = false;
    const settle = (error: Error | null, socket?: Duplex): void => {
      clearTimeout(timer);
      if (settled) {
        socket?.destroy();
        return;
      }
      settled = true;
      if (error === null) callback(null, socket);
      else callback(error);
    };
    const headers: Record<string, string> = { Host: authority };
    if (auth !== undefined) headers['Proxy-Authorization'] = auth;
    const secureProxy = proxy.protocol === 'https:';
    const request = process.getBuiltinModule(secureProxy ? 'node:https' : 'node:http').request({
      host: proxyHost,
      port: portOf(proxy),
      method: 'CONNECT',
      path: authority,
      headers,
      // One connection per tunnel, never pooled as a connection to the proxy itself.
      agent: false,
      ...(secureProxy ? { ...tls, servername: serverName(proxyHost) } : {}),
    });
    const timer = setTimeout(() => {
      const error = new TransportError(TransportErrorCode.ConnectTimeout, `no tunnel to ${authority} through the proxy ${label} within ${timeoutMs} ms`);
      request.destroy(error);
      settle(error);
    }, timeoutMs);
    request.once('connect', (response: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        const why = `${response.statusCode ?? 0}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
        settle(new TransportError(TransportErrorCode.ProxyRefused, `the proxy ${label} answered the CONNECT to ${authority} with ${why}`));
        return;
      }
      // Bytes after the proxy's answer belong to the tunnel (none are expected before our ClientHello).
      if (head.length > 0) socket.unshift(head);
      const servername = serverName(host);
      const secure = process.getBuiltinModule('node:tls').connect({ socket, ...tls, ...(servername === undefined ? {} : { servername }) });
      secure.setTimeout(timeoutMs);
      settle(null, secure);
    });
    request.on('error', (error) => settle(error));
    request.end();
    return undefined;
  };
}
