import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@agentkit/config';
import {
  CLOUD_METADATA_NO_PROXY,
  ForwarderErrorCode,
  httpClientConfigKeys,
  httpClientKeys,
  readHttpClientSettings,
} from '@agentkit/forwarder';

const FILE_PROXY = 'proxy:\n  http: http://file-http:3128\n  https: http://file-https:3128\n  no_proxy:\n    - file.example\n';

function load(env: Record<string, string>, yaml?: string): ReturnType<typeof loadConfig> {
  const file = yaml === undefined ? undefined : join(mkdtempSync(join(tmpdir(), 'agentkit-proxy-')), 'datadog.yaml');
  if (file !== undefined && yaml !== undefined) writeFileSync(file, yaml);
  return loadConfig({ keys: httpClientConfigKeys, env, ...(file === undefined ? {} : { file }) });
}

describe('proxy keys: the Agent’s precedence (pkg/config/setup LoadProxyFromEnv)', () => {
  it('reads proxy: {http, https, no_proxy} from the YAML file', () => {
    const config = load({}, FILE_PROXY);
    expect(config.get(httpClientKeys.proxyHttp)).toBe('http://file-http:3128');
    expect(config.get(httpClientKeys.proxyHttps)).toBe('http://file-https:3128');
    expect(config.get(httpClientKeys.proxyNoProxy)).toEqual(['file.example']);
  });

  it('HTTPS_PROXY beats the file, https_proxy too, and HTTPS_PROXY beats https_proxy', () => {
    expect(load({ HTTPS_PROXY: 'http://upper:1' }, FILE_PROXY).get(httpClientKeys.proxyHttps)).toBe('http://upper:1');
    expect(load({ https_proxy: 'http://lower:1' }, FILE_PROXY).get(httpClientKeys.proxyHttps)).toBe('http://lower:1');
    const both = load({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1' }, FILE_PROXY);
    expect(both.get(httpClientKeys.proxyHttps)).toBe('http://upper:1');
    expect(both.source(httpClientKeys.proxyHttps)).toEqual({ kind: 'env', detail: 'HTTPS_PROXY' });
  });

  it('DD_PROXY_HTTPS beats HTTPS_PROXY and https_proxy; DD_PROXY_HTTP beats HTTP_PROXY', () => {
    const config = load(
      { DD_PROXY_HTTPS: 'http://dd:1', HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1', DD_PROXY_HTTP: 'http://ddh:1', HTTP_PROXY: 'http://std:1' },
      FILE_PROXY,
    );
    expect(config.get(httpClientKeys.proxyHttps)).toBe('http://dd:1');
    expect(config.source(httpClientKeys.proxyHttps)).toEqual({ kind: 'env', detail: 'DD_PROXY_HTTPS' });
    expect(config.get(httpClientKeys.proxyHttp)).toBe('http://ddh:1');
  });

  it('a variable set to the empty string counts, as os.LookupEnv sees it: it turns off the file’s proxy', () => {
    const config = load({ HTTPS_PROXY: '', https_proxy: 'http://lower:1' }, FILE_PROXY);
    expect(config.get(httpClientKeys.proxyHttps)).toBe('');
    expect(config.source(httpClientKeys.proxyHttps)).toEqual({ kind: 'env', detail: 'HTTPS_PROXY' });
    expect(readHttpClientSettings(config).httpsProxy).toBeUndefined();
    // Each variable is looked up on its own: the http one keeps the file's value.
    expect(config.get(httpClientKeys.proxyHttp)).toBe('http://file-http:3128');
  });

  it('splits DD_PROXY_NO_PROXY on spaces and NO_PROXY / no_proxy on commas; DD_PROXY_NO_PROXY wins', () => {
    expect(load({ NO_PROXY: 'a.example,b.example:8080' }).get(httpClientKeys.proxyNoProxy)).toEqual(['a.example', 'b.example:8080']);
    expect(load({ no_proxy: 'c.example' }, FILE_PROXY).get(httpClientKeys.proxyNoProxy)).toEqual(['c.example']);
    const config = load({ DD_PROXY_NO_PROXY: 'd.example e.example', NO_PROXY: 'a.example' });
    expect(config.get(httpClientKeys.proxyNoProxy)).toEqual(['d.example', 'e.example']);
    // Not trimmed, as Go's strings.Split: with exact matching " f" is not "f".
    expect(load({ NO_PROXY: 'f, g' }).get(httpClientKeys.proxyNoProxy)).toEqual(['f', ' g']);
  });

  it('adds the cloud metadata addresses to no_proxy, as the Agent does (use_proxy_for_cloud_metadata: false)', () => {
    const settings = readHttpClientSettings(load({ NO_PROXY: 'a.example' }));
    expect(settings.noProxy).toEqual(['a.example', ...CLOUD_METADATA_NO_PROXY]);
    expect(CLOUD_METADATA_NO_PROXY).toEqual(['169.254.169.254', '100.100.100.200']);
  });

  it('takes host:port and user:pass@host:port as http:// proxies, as Go’s httpproxy does', () => {
    expect(readHttpClientSettings(load({ HTTPS_PROXY: 'proxy.example:3128' })).httpsProxy?.href).toBe('http://proxy.example:3128/');
    expect(readHttpClientSettings(load({ HTTPS_PROXY: 'u:p@proxy.example:3128' })).httpsProxy?.href).toBe('http://u:p@proxy.example:3128/');
  });

  it('fails at start on a proxy URL it cannot use, naming the key and the variable, never the password', () => {
    const check = (env: Record<string, string>, why: RegExp): void => {
      let error: unknown;
      try {
        readHttpClientSettings(load(env));
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: ForwarderErrorCode.InvalidProxy });
      const message = (error as Error).message;
      expect(message).toMatch(why);
      expect(message).not.toContain('s3cret');
    };
    check({ HTTPS_PROXY: 'socks5://u:s3cret@proxy:1080' }, /^proxy\.https \(from env HTTPS_PROXY\): "socks5:\/\/u:\*+@proxy:1080" is a SOCKS proxy/);
    check({ DD_PROXY_HTTP: 'http://u:s3cret@[bad' }, /^proxy\.http \(from env DD_PROXY_HTTP\): .* is not a URL/);
  });
});

describe('TLS keys', () => {
  it('skip_ssl_validation defaults to false and min_tls_version to tlsv1.2', () => {
    const settings = readHttpClientSettings(load({}));
    expect(settings.rejectUnauthorized).toBe(true);
    expect(settings.minTlsVersion).toBe('TLSv1.2');
  });

  it('maps tlsv1.0 … tlsv1.3 in any case, as the Agent (strings.ToLower), and booleans as the Agent', () => {
    expect(readHttpClientSettings(load({ DD_MIN_TLS_VERSION: 'TLSv1.3' })).minTlsVersion).toBe('TLSv1.3');
    expect(readHttpClientSettings(load({ DD_MIN_TLS_VERSION: 'tlsv1.0' })).minTlsVersion).toBe('TLSv1');
    expect(readHttpClientSettings(load({ DD_MIN_TLS_VERSION: 'tlsv1.1' })).minTlsVersion).toBe('TLSv1.1');
    expect(readHttpClientSettings(load({ DD_SKIP_SSL_VALIDATION: 'true' })).rejectUnauthorized).toBe(false);
  });

  it('refuses an unknown min_tls_version at start, naming the key', () => {
    expect(() => load({ DD_MIN_TLS_VERSION: 'ssl3' })).toThrow(/min_tls_version/);
  });
});

describe('agentkit config shows proxy URLs with the password masked', () => {
  it('masks the password of every proxy URL, whatever its source, and keeps the rest readable', () => {
    const config = load({ DD_PROXY_HTTPS: 'http://alice:s3cret@proxy.example:3128', HTTP_PROXY: 'token@proxy.example:3128' });
    const shown = JSON.stringify(config.entries());
    expect(shown).not.toContain('s3cret');
    expect(shown).not.toContain('token@');
    expect(config.masked(httpClientKeys.proxyHttps)).toBe('http://alice:********@proxy.example:3128');
    expect(config.masked(httpClientKeys.proxyHttp)).toBe('********@proxy.example:3128');
    // The value itself is intact for the HTTP client.
    expect(config.get(httpClientKeys.proxyHttps)).toBe('http://alice:s3cret@proxy.example:3128');
  });
});
