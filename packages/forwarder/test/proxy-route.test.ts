import { describe, expect, it } from '@jest/globals';
import { DEFAULT_HTTP_CLIENT_SETTINGS, proxyFor, type HttpClientSettings } from '@agentkit/forwarder';

const HTTP_PROXY = new URL('http://http-proxy:3128');
const HTTPS_PROXY = new URL('http://https-proxy:3128');

function settings(noProxy: readonly string[], nonexact: boolean, proxies: Partial<HttpClientSettings> = {}): HttpClientSettings {
  return { ...DEFAULT_HTTP_CLIENT_SETTINGS, httpProxy: HTTP_PROXY, httpsProxy: HTTPS_PROXY, noProxy, noProxyNonexactMatch: nonexact, ...proxies };
}

const via = (url: string, s: HttpClientSettings): string | undefined => proxyFor(new URL(url), s)?.host;

describe('proxyFor: which proxy a destination goes through (pkg/util/http/transport.go)', () => {
  it('uses proxy.https for https:// and proxy.http for http://, never the other', () => {
    const s = settings([], false);
    expect(via('https://app.datadoghq.com', s)).toBe('https-proxy:3128');
    expect(via('http://intake.example', s)).toBe('http-proxy:3128');
    expect(via('https://app.datadoghq.com', settings([], false, { httpsProxy: undefined }))).toBeUndefined();
    expect(via('http://intake.example', settings([], false, { httpProxy: undefined }))).toBeUndefined();
  });

  describe('exact matching (no_proxy_nonexact_match: false, the default)', () => {
    it('bypasses only an entry equal to the URL’s host[:port]', () => {
      const s = settings(['app.datadoghq.com', '127.0.0.1:8080'], false);
      expect(via('https://app.datadoghq.com/api/v2/series', s)).toBeUndefined();
      expect(via('http://127.0.0.1:8080/x', s)).toBeUndefined();
      // No suffix, subdomain or port-less matching:
      expect(via('https://sub.app.datadoghq.com', s)).toBe('https-proxy:3128');
      expect(via('https://app.datadoghq.com:8443', s)).toBe('https-proxy:3128');
      expect(via('http://127.0.0.1:9090', s)).toBe('http-proxy:3128');
      expect(via('http://127.0.0.1:9090', settings(['127.0.0.1'], false))).toBe('http-proxy:3128');
    });

    it('proxies loopback destinations like any other, as the Agent does in this mode', () => {
      expect(via('http://localhost:8080', settings([], false))).toBe('http-proxy:3128');
      expect(via('http://127.0.0.1:8080', settings([], false))).toBe('http-proxy:3128');
    });
  });

  describe('non-exact matching (no_proxy_nonexact_match: true, Go’s httpproxy rules)', () => {
    it('a domain matches itself and its subdomains; a leading "." or "*." only subdomains', () => {
      const s = settings(['example.com', '.only-subs.com', '*.star.com'], true);
      expect(via('https://example.com', s)).toBeUndefined();
      expect(via('https://a.b.example.com', s)).toBeUndefined();
      expect(via('https://notexample.com', s)).toBe('https-proxy:3128');
      expect(via('https://x.only-subs.com', s)).toBeUndefined();
      expect(via('https://only-subs.com', s)).toBe('https-proxy:3128');
      expect(via('https://x.star.com', s)).toBeUndefined();
      expect(via('https://star.com', s)).toBe('https-proxy:3128');
    });

    it('an entry with a port matches that port only, the scheme’s default port included', () => {
      const s = settings(['example.com:443', '10.1.2.3:8080'], true);
      expect(via('https://example.com', s)).toBeUndefined();
      expect(via('http://example.com', s)).toBe('http-proxy:3128');
      expect(via('http://10.1.2.3:8080', s)).toBeUndefined();
      expect(via('http://10.1.2.3:8081', s)).toBe('http-proxy:3128');
    });

    it('matches IP addresses and CIDR ranges, IPv6 included', () => {
      const s = settings(['10.0.0.0/8', '192.168.1.5', 'fd00::/8', '[2001:db8::1]:443'], true);
      expect(via('http://10.20.30.40', s)).toBeUndefined();
      expect(via('http://11.0.0.1', s)).toBe('http-proxy:3128');
      expect(via('http://192.168.1.5:9000', s)).toBeUndefined();
      expect(via('https://[fd12::1]', s)).toBeUndefined();
      expect(via('https://[2001:db8::1]', s)).toBeUndefined();
      expect(via('http://[2001:db8::1]:80', s)).toBe('http-proxy:3128');
    });

    it('"*" bypasses everything; entries are trimmed, lower-cased and split on commas', () => {
      expect(via('https://anything.example', settings(['*'], true))).toBeUndefined();
      const s = settings([' Example.COM ', 'a.test,b.test'], true);
      expect(via('https://example.com', s)).toBeUndefined();
      expect(via('https://b.test', s)).toBeUndefined();
    });

    it('never proxies localhost or loopback addresses, even with no entry', () => {
      const s = settings([], true);
      expect(via('http://localhost:8080', s)).toBeUndefined();
      expect(via('http://127.0.0.1:8080', s)).toBeUndefined();
      expect(via('http://127.9.9.9', s)).toBeUndefined();
      expect(via('https://[::1]:8443', s)).toBeUndefined();
      expect(via('https://intake.example.test', s)).toBe('https-proxy:3128');
    });
  });
});
