import type { Agent, Dispatcher, Pool, ProxyAgent } from 'undici';
import { proxyLabel, type HttpClientSettings } from './http-client-settings.js';
import { proxyFor } from './proxy-route.js';

/** Timeouts every dispatcher gets. */
export interface HttpDispatcherOptions {
  /** To connect (to the intake or the proxy), to receive the headers, and between body chunks. */
  readonly timeoutMs: number;
}

/** Where requests to one origin go. */
export interface Route {
  readonly dispatcher: Dispatcher;
  /** The proxy, for log lines (password starred); undefined when direct. */
  readonly proxy: string | undefined;
}

/**
 * The undici dispatchers of one HTTP client: one keep-alive `Agent` for direct connections and
 * one `ProxyAgent` per proxy, each chosen per origin by {@link proxyFor}. `forOrigin` may be
 * called any number of times (routes are cached); after `destroy` the dispatchers refuse work.
 */
export interface HttpDispatchers {
  forOrigin(origin: string): Route;
  /** Ends every connection; requests still in flight are aborted. */
  destroy(): Promise<void>;
}

/**
 * The one place an outgoing HTTP client is built from config: imports undici (about 100 ms of
 * module loading, which is why callers load it after start; perf-anchors §6) and returns
 * dispatchers that apply the proxy and TLS settings. Through a proxy, `https:` goes in a
 * `CONNECT` tunnel (TLS to the intake inside it, under the same TLS settings); `http:` is sent
 * to an `http:` proxy as an absolute-URI request, as Go's transport does. An `https:` proxy is
 * itself reached over TLS under the same settings (`skip_ssl_validation`, `min_tls_version`), as
 * the Agent's transport does. Credentials in the proxy URL go in `Proxy-Authorization: Basic`.
 * Rejects only if undici cannot be loaded.
 */
export async function loadHttpDispatchers(settings: HttpClientSettings, options: HttpDispatcherOptions): Promise<HttpDispatchers> {
  const undici = await import('undici');
  const tls = { rejectUnauthorized: settings.rejectUnauthorized, minVersion: settings.minTlsVersion };
  const timeouts = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
  const direct: Agent = new undici.Agent({ connect: { timeout: options.timeoutMs, ...tls }, ...timeouts });
  const proxies = new Map<string, ProxyAgent>();
  const routes = new Map<string, Route>();

  const proxyAgent = (proxy: URL): ProxyAgent => {
    let agent = proxies.get(proxy.href);
    if (agent === undefined) {
      agent = new undici.ProxyAgent({
        uri: proxy.href,
        // false: http: targets go to an http: proxy as absolute-URI requests, not a tunnel.
        proxyTunnel: false,
        proxyTls: { timeout: options.timeoutMs, ...tls },
        requestTls: { timeout: options.timeoutMs, ...tls },
        // undici's forward-proxy client takes no timeouts of its own: give them to every pool.
        factory: (origin: string | URL, opts: object): Pool => new undici.Pool(origin, { ...opts, ...timeouts }),
        ...timeouts,
      });
      proxies.set(proxy.href, agent);
    }
    return agent;
  };

  return {
    forOrigin(origin) {
      let route = routes.get(origin);
      if (route === undefined) {
        const proxy = proxyFor(new URL(origin), settings);
        route = proxy === undefined ? { dispatcher: direct, proxy: undefined } : { dispatcher: proxyAgent(proxy), proxy: proxyLabel(proxy) };
        routes.set(origin, route);
      }
      return route;
    },
    async destroy() {
      await Promise.all([direct.destroy(), ...[...proxies.values()].map((agent) => agent.destroy())]);
    },
  };
}
