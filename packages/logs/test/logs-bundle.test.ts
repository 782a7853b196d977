import { describe, expect, it } from '@jest/globals';
import { createTestApp } from '@agentkit/core/testing';
import { LOG_SOURCE, logsBundle, LogsErrorCode, resolveLogsDestination } from '@agentkit/logs';
import { logsConfig } from './helpers.js';

const context = { tags: ['env:test'], defaultSource: 'local' };

describe('logsBundle', () => {
  it('is off unless logs_enabled', () => {
    const app = createTestApp([logsBundle(context)], { config: logsConfig({ DD_LOGS_ENABLED: 'false' }) });
    expect(app.graph().startOrder).toEqual([]);
    expect(app.find(LOG_SOURCE)).toBeUndefined();
  });

  it('starts the sender first and the source last, so the stop drains source → processor → sender', () => {
    const app = createTestApp([logsBundle(context)], { config: logsConfig({}) });
    const order = app.graph().startOrder;
    expect(order.indexOf('LogSender')).toBeLessThan(order.indexOf('LogProcessor'));
    expect(order.indexOf('LogProcessor')).toBeLessThan(order.indexOf('LogSource'));
  });
});

describe('resolveLogsDestination (as the Agent reads logs_config.logs_dd_url and logs_no_ssl)', () => {
  const resolve = (env: Record<string, string>, intakeUrl?: string): string => resolveLogsDestination(logsConfig(env), intakeUrl).label;

  it('defaults to https://http-intake.logs.<site>', () => {
    expect(resolve({})).toBe('https://http-intake.logs.datadoghq.com');
    expect(resolve({ DD_SITE: 'datadoghq.eu' })).toBe('https://http-intake.logs.datadoghq.eu');
  });

  it('reads host:port as HTTPS, or HTTP with logs_no_ssl; a URL keeps its scheme', () => {
    expect(resolve({ DD_LOGS_CONFIG_LOGS_DD_URL: 'logs-proxy:10516' })).toBe('https://logs-proxy:10516');
    expect(resolve({ DD_LOGS_CONFIG_LOGS_DD_URL: 'logs-proxy:8080', DD_LOGS_CONFIG_LOGS_NO_SSL: 'true' })).toBe('http://logs-proxy:8080');
    expect(resolve({ DD_LOGS_CONFIG_LOGS_DD_URL: 'https://relay.example:9000/prefix', DD_LOGS_CONFIG_LOGS_NO_SSL: 'true' })).toBe('https://relay.example:9000/prefix');
    expect(resolve({ DD_LOGS_CONFIG_LOGS_DD_URL: 'http://127.0.0.1:1234' })).toBe('http://127.0.0.1:1234');
  });

  it('uses the local intake when given one and logs_dd_url is not set', () => {
    expect(resolve({}, 'http://127.0.0.1:8127')).toBe('http://127.0.0.1:8127');
    expect(resolve({ DD_LOGS_CONFIG_LOGS_DD_URL: 'h:1' }, 'http://127.0.0.1:8127')).toBe('https://h:1');
  });

  it('refuses a logs_dd_url without a port or scheme, naming the key', () => {
    expect(() => resolve({ DD_LOGS_CONFIG_LOGS_DD_URL: 'just-a-host' })).toThrow(expect.objectContaining({ code: LogsErrorCode.InvalidEndpoint, message: expect.stringContaining('logs_config.logs_dd_url') }));
  });
});
