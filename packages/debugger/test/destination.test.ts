import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@agentkit/config';
import { DebuggerErrorCode, debuggerConfigKeys, resolveDebuggerDestinations } from '../src/index.js';

function destinations(env: Record<string, string>) {
  return resolveDebuggerDestinations(loadConfig({ keys: debuggerConfigKeys, env: { DD_HOSTNAME: 'h', ...env } }));
}

function mainUrls(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries([...destinations(env).byPath].map(([path, d]) => [path, `${d.kind} ${d.main.url.href}`]));
}

describe('resolveDebuggerDestinations', () => {
  it('with an API key: the intakes of site, as the trace agent derives them', () => {
    expect(mainUrls({ DD_API_KEY: 'k', DD_SITE: 'datadoghq.eu' })).toEqual({
      '/debugger/v1/input': 'site https://http-intake.logs.datadoghq.eu/api/v2/logs',
      '/debugger/v1/diagnostics': 'site https://debugger-intake.datadoghq.eu/api/v2/debugger',
      '/debugger/v2/input': 'site https://debugger-intake.datadoghq.eu/api/v2/debugger',
      '/symdb/v1/input': 'site https://debugger-intake.datadoghq.eu/api/v2/debugger',
    });
  });

  it('with neither api_key nor dd_url: the local intake, on the tracer\'s own paths', () => {
    expect(mainUrls({ DD_LOCAL_INTAKE_PORT: '9127' })).toEqual({
      '/debugger/v1/input': 'local_intake http://127.0.0.1:9127/debugger/v1/input',
      '/debugger/v1/diagnostics': 'local_intake http://127.0.0.1:9127/debugger/v1/diagnostics',
      '/debugger/v2/input': 'local_intake http://127.0.0.1:9127/debugger/v2/input',
      '/symdb/v1/input': 'local_intake http://127.0.0.1:9127/symdb/v1/input',
    });
    expect([...destinations({}).byPath.values()].every((d) => d.main.apiKey === '')).toBe(true);
  });

  it('dd_url without an API key still means "not the local intake": the site\'s intakes (as the Agent, which ignores dd_url here)', () => {
    expect(mainUrls({ DD_DD_URL: 'http://127.0.0.1:8127' })['/symdb/v1/input']).toBe('site https://debugger-intake.datadoghq.com/api/v2/debugger');
  });

  it('each route\'s URL key wins, verbatim', () => {
    const urls = mainUrls({
      DD_API_KEY: 'k',
      DD_APM_SYMDB_DD_URL: 'https://symdb.example.test/in',
      DD_APM_DEBUGGER_DD_URL: 'https://logs.example.test/v2/logs',
      DD_APM_DEBUGGER_DIAGNOSTICS_DD_URL: 'http://diag.example.test:8080/x',
    });
    expect(urls['/symdb/v1/input']).toBe('dd_url https://symdb.example.test/in');
    expect(urls['/debugger/v1/input']).toBe('dd_url https://logs.example.test/v2/logs');
    expect(urls['/debugger/v2/input']).toBe('dd_url http://diag.example.test:8080/x');
  });

  it('a route\'s API key replaces api_key for that route only; additional endpoints get one target per key', () => {
    const d = destinations({
      DD_API_KEY: 'main',
      DD_APM_SYMDB_API_KEY: ' symdb-key ',
      DD_APM_DEBUGGER_DIAGNOSTICS_ADDITIONAL_ENDPOINTS: JSON.stringify({ 'https://debugger-intake.datadoghq.eu/api/v2/debugger': ['eu1', 'eu2'] }),
    }).byPath;
    expect(d.get('/symdb/v1/input')?.main.apiKey).toBe('symdb-key');
    expect(d.get('/debugger/v1/input')?.main.apiKey).toBe('main');
    expect(d.get('/debugger/v2/input')?.additional.map((t) => [t.url.host, t.apiKey])).toEqual([
      ['debugger-intake.datadoghq.eu', 'eu1'],
      ['debugger-intake.datadoghq.eu', 'eu2'],
    ]);
    expect(d.get('/symdb/v1/input')?.additional).toEqual([]);
  });

  it('the host tags: hostname, env as default_env (none when empty), the agent version', () => {
    expect(destinations({}).hostTags).toMatch(/^host:h,default_env:none,agent_version:\d+\.\d+\.\d+/);
    expect(destinations({ DD_ENV: 'prod' }).hostTags).toMatch(/^host:h,default_env:prod,agent_version:/);
  });

  it('a URL that is not http(s): a start error naming the key, the password starred', () => {
    expect(() => destinations({ DD_APM_SYMDB_DD_URL: 'ftp://u:secret@host/x' })).toThrow(expect.objectContaining({ code: DebuggerErrorCode.InvalidDestination, message: expect.stringContaining('apm_config.symdb_dd_url') }));
    expect(() => destinations({ DD_APM_SYMDB_DD_URL: 'ftp://u:secret@host/x' })).toThrow(expect.not.objectContaining({ message: expect.stringContaining('secret') }));
    expect(() => destinations({ DD_APM_DEBUGGER_DD_URL: 'not a url' })).toThrow(/apm_config\.debugger_dd_url: "not a url" is not a URL/);
  });
});

describe('the destination keys as `agentkit config` shows them', () => {
  it('never shows an API key: the route keys masked, the additional endpoints starred whole', () => {
    const config = loadConfig({
      keys: debuggerConfigKeys,
      env: { DD_APM_SYMDB_API_KEY: 'symdb0123456789abcdef0123456789', DD_APM_DEBUGGER_ADDITIONAL_ENDPOINTS: JSON.stringify({ 'https://x.example.test': ['extra0123456789abcdef01234567'] }) },
    });
    const shown = JSON.stringify(config.entries());
    expect(shown).not.toContain('symdb0123456789abcdef');
    expect(shown).not.toContain('extra0123456789abcdef');
  });
});
