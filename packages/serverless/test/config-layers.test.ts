import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregatorKeys } from '@agentkit/aggregator';
import { commonKeys, ConfigError, describeSource, loadConfig, resolveHostname } from '@agentkit/config';
import { dogstatsdKeys } from '@agentkit/dogstatsd';
import { forwarderKeys } from '@agentkit/forwarder';
import { detectCloudService, serverlessConfigLayers, serverlessKeys } from '../src/index.js';
import { execConfig, execKeys } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentkit-serverless-'));
  dirs.push(dir);
  const path = join(dir, 'datadog.yaml');
  writeFileSync(path, text);
  return path;
}

const RUNTIME_DEFAULT = { kind: 'runtime-default', detail: 'agentkit exec' };
const cloud = detectCloudService({ K_SERVICE: 'checkout', K_REVISION: 'r1', DD_ENV: 'prod' });

describe('serverlessConfigLayers', () => {
  it('names only declared keys', () => {
    const { defaults, forced } = serverlessConfigLayers();
    const declared = new Set(execKeys.map((k) => k.key));
    expect([...Object.keys(defaults), ...Object.keys(forced)].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('turns on serverless-init\'s behaviour when the user sets nothing', () => {
    const config = execConfig(cloud);
    expect(config.get(aggregatorKeys.flushInterval)).toBe(3);
    expect(config.get(forwarderKeys.stopTimeout)).toBe(3);
    expect(config.get(aggregatorKeys.stopTimeout)).toBe(2);
    expect(config.get(dogstatsdKeys.tags)).toEqual([...cloud.metricTags]);
    expect(config.get(commonKeys.serverlessEnabled)).toBe(true);
    expect(config.get(aggregatorKeys.flushIncompleteBuckets)).toBe(true);
    expect(config.get(forwarderKeys.stopWaitForInflight)).toBe(true);
    expect(config.source(aggregatorKeys.flushInterval)).toEqual(RUNTIME_DEFAULT);
    expect(config.source(commonKeys.serverlessEnabled)).toEqual({ kind: 'runtime' });
  });

  it('lets the user\'s env and file beat the runtime defaults', () => {
    const file = yamlFile('aggregator_stop_timeout: 1.5\ndogstatsd_tags: [team:x]\n');
    const config = execConfig(cloud, { DD_AGGREGATOR_FLUSH_INTERVAL: '10', DD_FORWARDER_STOP_TIMEOUT: '4' }, file);
    expect(config.get(aggregatorKeys.flushInterval)).toBe(10);
    expect(config.source(aggregatorKeys.flushInterval)).toEqual({ kind: 'env', detail: 'DD_AGGREGATOR_FLUSH_INTERVAL' });
    expect(config.get(forwarderKeys.stopTimeout)).toBe(4);
    expect(config.get(aggregatorKeys.stopTimeout)).toBe(1.5);
    expect(config.source(aggregatorKeys.stopTimeout)).toEqual({ kind: 'file', detail: file });
    // Added to the platform's tags, as serverless-init appends: never replacing them.
    expect(config.get(dogstatsdKeys.tags)).toEqual(['team:x', ...cloud.metricTags]);
  });

  it('does not let the user switch off what is forced', () => {
    const file = yamlFile('serverless:\n  enabled: false\n');
    const config = execConfig(cloud, { DD_DOGSTATSD_FLUSH_INCOMPLETE_BUCKETS: 'false', DD_FORWARDER_STOP_WAIT_FOR_INFLIGHT: 'false' }, file);
    expect(config.get(aggregatorKeys.flushIncompleteBuckets)).toBe(true);
    expect(config.get(forwarderKeys.stopWaitForInflight)).toBe(true);
    expect(config.get(commonKeys.serverlessEnabled)).toBe(true);
    expect(config.source(aggregatorKeys.flushIncompleteBuckets)).toEqual({ kind: 'runtime' });
  });

  it('shows where each value came from, as `agentkit config` lists it', () => {
    const entries = new Map(execConfig(cloud, { DD_FORWARDER_STOP_TIMEOUT: '4' }).entries().map((e) => [e.key, describeSource(e.source)]));
    expect(entries.get('aggregator_flush_interval')).toBe('runtime default (agentkit exec)');
    expect(entries.get('dogstatsd_tags')).toBe('runtime override');
    expect(entries.get('forwarder_stop_timeout')).toBe('env DD_FORWARDER_STOP_TIMEOUT');
    expect(entries.get('dogstatsd_flush_incomplete_buckets')).toBe('runtime override');
    expect(entries.get('dogstatsd_port')).toBe('default');
  });
});

describe('loadConfig runtimeDefaults', () => {
  it('validates them like the other sources, naming the source', () => {
    let error: unknown;
    try {
      loadConfig({ keys: execKeys, env: {}, runtimeDefaults: { aggregator_flush_interval: 'soon', forwarder_stop_timeout: -1 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => [p.key, p.source.kind])).toEqual([
      ['aggregator_flush_interval', 'runtime-default'],
      ['forwarder_stop_timeout', 'runtime-default'],
    ]);
    expect((error as ConfigError).message).toContain('(from runtime default)');
  });

  it('parses strings like env vars and keeps typed values', () => {
    const config = loadConfig({ keys: execKeys, env: {}, runtimeDefaults: { dogstatsd_tags: 'a:1 b:2', aggregator_flush_interval: 3 } });
    expect(config.get(dogstatsdKeys.tags)).toEqual(['a:1', 'b:2']);
    expect(config.source(dogstatsdKeys.tags)).toEqual({ kind: 'runtime-default' });
  });

  it('keeps undeclared ones readable by name, below the file, and lists them as unknown', () => {
    const file = yamlFile('apm_config:\n  enabled: false\n');
    const config = loadConfig({ keys: execKeys, env: {}, file, runtimeDefaults: { 'apm_config.enabled': true, 'logs_enabled': true }, runtimeDefaultsFrom: 'agentkit exec' });
    expect(config.get('apm_config.enabled')).toBe(false);
    expect(config.get('logs_enabled')).toBe(true);
    expect(config.source('logs_enabled')).toEqual(RUNTIME_DEFAULT);
    expect(config.unknownKeys()).toEqual(expect.arrayContaining(['apm_config.enabled', 'logs_enabled']));
  });

  it('survive withOverrides', () => {
    const config = execConfig(cloud).withOverrides({ dogstatsd_port: 9125 });
    expect(config.source(aggregatorKeys.flushInterval)).toEqual(RUNTIME_DEFAULT);
  });
});

describe('serverless keys', () => {
  it('default to a 9.5 s budget and enhanced metrics on, and read DD_* env vars', () => {
    const defaults = execConfig(cloud);
    expect(defaults.get(serverlessKeys.shutdownTimeout)).toBe(9.5);
    expect(defaults.get(serverlessKeys.enhancedMetricsEnabled)).toBe(true);
    const set = execConfig(cloud, { DD_SERVERLESS_SHUTDOWN_TIMEOUT: '29.5', DD_ENHANCED_METRICS_ENABLED: 'false' });
    expect(set.get(serverlessKeys.shutdownTimeout)).toBe(29.5);
    expect(set.get(serverlessKeys.enhancedMetricsEnabled)).toBe(false);
  });

  it('refuse a budget of 0, naming the key', () => {
    expect(() => execConfig(cloud, { DD_SERVERLESS_SHUTDOWN_TIMEOUT: '0' })).toThrow(/serverless_shutdown_timeout/);
  });
});

describe('serverless.enabled', () => {
  it('makes the host empty, even with a hostname configured', () => {
    expect(resolveHostname(execConfig(cloud, { DD_HOSTNAME: 'web-1' }))).toBe('');
    expect(resolveHostname(loadConfig({ keys: execKeys, env: { DD_HOSTNAME: 'web-1' } }))).toBe('web-1');
  });
});
