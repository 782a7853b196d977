import { Config, maskUrlPassword } from '@agentkit/config';
import type { ConfigReader } from '@agentkit/core';
import { httpClientKeys, type TlsVersionName } from '../config-keys.js';
import { ForwarderError, ForwarderErrorCode } from '../errors.js';

/** Node's names for the TLS versions `min_tls_version` accepts. */
export type NodeTlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

const NODE_TLS_VERSIONS: Readonly<Record<TlsVersionName, NodeTlsVersion>> = {
  'tlsv1.0': 'TLSv1',
  'tlsv1.1': 'TLSv1.1',
  'tlsv1.2': 'TLSv1.2',
  'tlsv1.3': 'TLSv1.3',
};

/**
 * The Agent adds these to `no_proxy` unless `use_proxy_for_cloud_metadata` is true (its default
 * is false): the link-local metadata servers of EC2, Azure and GCE, and Alibaba's. They are only
 * reachable directly; a proxy could not reach them. (agentkit has no such key: always added.)
 */
export const CLOUD_METADATA_NO_PROXY: readonly string[] = Object.freeze(['169.254.169.254', '100.100.100.200']);

/** Proxy and TLS settings of every outgoing HTTP client, read once from config. */
export interface HttpClientSettings {
  /** For `http://` destinations; undefined: direct. */
  readonly httpProxy: URL | undefined;
  /** For `https://` destinations; undefined: direct (the http proxy is not used for them). */
  readonly httpsProxy: URL | undefined;
  /** `proxy.no_proxy` as configured, then the cloud metadata addresses. */
  readonly noProxy: readonly string[];
  /** `no_proxy_nonexact_match`. */
  readonly noProxyNonexactMatch: boolean;
  /** False when `skip_ssl_validation` is set. */
  readonly rejectUnauthorized: boolean;
  readonly minTlsVersion: NodeTlsVersion;
}

/** No proxy, certificates checked, TLS 1.2 or newer: what a client gets without config. */
export const DEFAULT_HTTP_CLIENT_SETTINGS: HttpClientSettings = Object.freeze({
  httpProxy: undefined,
  httpsProxy: undefined,
  noProxy: CLOUD_METADATA_NO_PROXY,
  noProxyNonexactMatch: false,
  rejectUnauthorized: true,
  minTlsVersion: 'TLSv1.2',
});

/**
 * Reads the proxy and TLS keys (`httpClientConfigKeys` must be declared). Synchronous and
 * cheap: no HTTP module is loaded here. Throws `ERR_FORWARDER_INVALID_PROXY`, naming the key and where its
 * value came from (never the password), when a proxy URL cannot be used.
 */
export function readHttpClientSettings(config: ConfigReader): HttpClientSettings {
  return {
    httpProxy: parseProxyUrl(config, httpClientKeys.proxyHttp),
    httpsProxy: parseProxyUrl(config, httpClientKeys.proxyHttps),
    noProxy: Object.freeze([...config.get(httpClientKeys.proxyNoProxy), ...CLOUD_METADATA_NO_PROXY]),
    noProxyNonexactMatch: config.get(httpClientKeys.noProxyNonexactMatch),
    rejectUnauthorized: !config.get(httpClientKeys.skipSslValidation),
    minTlsVersion: NODE_TLS_VERSIONS[config.get(httpClientKeys.minTlsVersion)],
  };
}

/**
 * A proxy URL as Go's `httpproxy` reads one: `host:port` and `user:pass@host:port` mean
 * `http://…`. Only HTTP proxies (`http://`, `https://`) are supported.
 */
function parseProxyUrl(config: ConfigReader, key: typeof httpClientKeys.proxyHttp): URL | undefined {
  const raw = config.get(key).trim();
  if (raw === '') return undefined;
  const from = describeOrigin(config, key);
  const fail = (why: string): never => {
    throw new ForwarderError(ForwarderErrorCode.InvalidProxy, `${key.key}${from}: "${maskUrlPassword(raw)}" ${why}`);
  };
  let url = tryUrl(raw);
  // Only a value without "scheme://" gets one: WHATWG would read `http://http://…` as a URL.
  if (!raw.includes('://') && (url === undefined || !['http:', 'https:', 'socks5:'].includes(url.protocol))) url = tryUrl(`http://${raw}`) ?? url;
  if (url === undefined) return fail('is not a URL; write it as http://[user:password@]host:port');
  if (url.protocol === 'socks5:') return fail('is a SOCKS proxy; agentkit supports HTTP proxies only (http:// or https://)');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`has the scheme ${url.protocol}; use http:// or https://`);
  if (url.hostname === '') return fail('names no host');
  return url;
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function describeOrigin(config: ConfigReader, key: typeof httpClientKeys.proxyHttp): string {
  // Any ConfigReader will do; a Config also says where the value came from (DD_PROXY_HTTPS, HTTPS_PROXY…).
  if (!(config instanceof Config)) return '';
  const source = config.source(key);
  if (source.kind === 'default') return '';
  return source.detail === undefined ? ` (from ${source.kind})` : ` (from ${source.kind} ${source.detail})`;
}

/** A proxy URL fit for a log line: the password starred, the path dropped. */
export function proxyLabel(proxy: URL): string {
  const auth = proxy.username === '' && proxy.password === '' ? '' : proxy.password === '' ? '********@' : `${proxy.username}:********@`;
  return `${proxy.protocol}//${auth}${proxy.host}`;
}
