import { describe, expect, it } from '@jest/globals';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { AgentkitError } from '@agentkit/core';
import { classifyStatus, forwarderConfigKeys, ForwarderErrorCode, resolveDestinations } from '@agentkit/forwarder';

const resolve = (env: Record<string, string>): ReturnType<typeof resolveDestinations> =>
  resolveDestinations(loadConfig({ keys: [...commonConfigKeys, ...forwarderConfigKeys], env }), '7.60.0');

describe('resolveDestinations', () => {
  it('never shows the API keys of additional_endpoints in the config it reports', () => {
    const config = loadConfig({
      keys: [...commonConfigKeys, ...forwarderConfigKeys],
      env: { DD_ADDITIONAL_ENDPOINTS: JSON.stringify({ 'https://a.example.test': ['dual0123456789abcdef0123456789'] }) },
    });
    expect(JSON.stringify(config.entries())).not.toContain('dual0123456789abcdef');
    expect(resolveDestinations(config, '7.60.0').destinations.map((d) => d.apiKey)).toContain('dual0123456789abcdef0123456789');
  });

  it('sends to the version-prefixed host of app.<site> and validates keys on api.<site>', () => {
    const [d] = resolve({ DD_API_KEY: 'k' }).destinations;
    expect(d).toMatchObject({
      origin: 'https://7-60-0-app.agent.datadoghq.com',
      basePath: '',
      apiKey: 'k',
      validateUrl: 'https://api.datadoghq.com/api/v1/validate',
      isDatadog: true,
    });
    const [eu] = resolve({ DD_SITE: 'us5.datadoghq.com' }).destinations;
    expect(eu?.origin).toBe('https://7-60-0-app.agent.us5.datadoghq.com');
    expect(eu?.validateUrl).toBe('https://api.us5.datadoghq.com/api/v1/validate');
  });

  it('uses dd_url as given when it is not a Datadog host (a proxy, a local intake)', () => {
    const [d] = resolve({ DD_DD_URL: 'http://127.0.0.1:8080/dd/' }).destinations;
    expect(d).toMatchObject({
      origin: 'http://127.0.0.1:8080',
      basePath: '/dd',
      label: 'http://127.0.0.1:8080/dd',
      validateUrl: 'http://127.0.0.1:8080/dd/api/v1/validate',
      isDatadog: false,
    });
  });

  it('rewrites a Datadog dd_url too, and reads DD_URL as an alias', () => {
    const [d] = resolve({ DD_URL: 'https://app.datadoghq.eu' }).destinations;
    expect(d?.origin).toBe('https://7-60-0-app.agent.datadoghq.eu');
    expect(d?.validateUrl).toBe('https://api.datadoghq.eu/api/v1/validate');
  });

  it('makes one destination per additional URL × key, merging keys of a repeated URL', () => {
    const { destinations, skipped } = resolve({
      DD_API_KEY: 'main',
      DD_ADDITIONAL_ENDPOINTS: JSON.stringify({
        'https://app.datadoghq.eu': ['k1', 'k2', 'k1'],
        'https://app.datadoghq.com': ['other'],
        'https://empty.example': [],
      }),
    });
    expect(destinations.map((d) => [d.origin, d.apiKey, d.keyIndex])).toEqual([
      ['https://7-60-0-app.agent.datadoghq.com', 'main', 0],
      ['https://7-60-0-app.agent.datadoghq.com', 'other', 1],
      ['https://7-60-0-app.agent.datadoghq.eu', 'k1', 0],
      ['https://7-60-0-app.agent.datadoghq.eu', 'k2', 1],
    ]);
    expect(skipped).toEqual([expect.stringContaining('https://empty.example')]);
  });

  it.each([
    [{ DD_DD_URL: 'not a url' }, 'dd_url'],
    [{ DD_DD_URL: 'ftp://x.example' }, 'dd_url'],
    [{ DD_SITE: 'bad site' }, 'site'],
    [{ DD_ADDITIONAL_ENDPOINTS: '{"https://x.example": [1]}' }, 'additional_endpoints'],
    [{ DD_ADDITIONAL_ENDPOINTS: '{"nope": ["k"]}' }, 'additional_endpoints'],
  ])('rejects %j with an error naming %s', (env, key) => {
    let error: unknown;
    try {
      resolve(env);
    } catch (e) {
      error = e;
    }
    expect(AgentkitError.is(error, ForwarderErrorCode.InvalidEndpoint)).toBe(true);
    expect((error as Error).message.startsWith(`${key}:`)).toBe(true);
  });

  it('never puts URL credentials in an error message', () => {
    expect(() => resolve({ DD_DD_URL: 'gopher://user:hunter2@proxy.example' })).toThrow(/\*\*\*@proxy/);
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, 'success'],
    [202, 'success'],
    [302, 'success'],
    [400, 'rejected'],
    [403, 'rejected'],
    [413, 'rejected'],
    [401, 'retry'],
    [404, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('%i → %s', (status, verdict) => {
    expect(classifyStatus(status)).toBe(verdict);
  });
});
