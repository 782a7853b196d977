import { describe, expect, it } from '@jest/globals';

import { loadConfig } from '@agentkit/config';
import type { ConfigKeyRef, ConfigReader } from '@agentkit/core';

import { logConfigKeys } from '../src/config-keys.js';
import { loggerFromConfig } from '../src/logger-from-config.js';
import { Collector } from './helpers.js';

/** A ConfigReader over plain values, returning a key's default when it is not set. */
function stubConfig(values: Record<string, unknown>): ConfigReader {
  return {
    get: (key: string | ConfigKeyRef<unknown>): unknown =>
      typeof key === 'string' ? values[key] : (values[key.key] ?? key.default),
  } as ConfigReader;
}

describe('loggerFromConfig', () => {
  describe('when log_level and log_format_json are set', () => {
    it('should log at that level, as JSON lines even on a terminal', () => {
      const out = new Collector(true);
      const log = loggerFromConfig(stubConfig({ log_level: 'debug', log_format_json: true }), { destination: out });
      log.trace('t');
      log.debug('d');
      expect(out.records().map((r) => r['msg'])).toEqual(['d']);
    });
  });

  describe('when nothing is set', () => {
    it('should log at info, human-readable on a terminal', () => {
      const out = new Collector(true);
      const log = loggerFromConfig(stubConfig({}), { destination: out });
      log.debug('d');
      log.info('i');
      expect(log.level).toBe('info');
      expect(out.text()).toMatch(/^\S+ INFO.*: i\n$/);
    });
  });

  it('should let overrides win over the config', () => {
    const out = new Collector();
    const log = loggerFromConfig(stubConfig({ log_level: 'error' }), { destination: out, level: 'trace' });
    expect(log.level).toBe('trace');
  });

  describe('with a loaded Config', () => {
    it('should read DD_LOG_LEVEL=critical as pino fatal', () => {
      const config = loadConfig({ keys: logConfigKeys, env: { DD_LOG_LEVEL: 'critical', DD_LOG_FORMAT_JSON: 'true' } });
      const out = new Collector();
      const log = loggerFromConfig(config, { destination: out });
      log.error('e');
      log.fatal('f');
      expect(out.records().map((r) => [r['level'], r['msg']])).toEqual([[60, 'f']]);
    });

    it('should reject an unknown DD_LOG_LEVEL at load, naming log_level', () => {
      expect(() => loadConfig({ keys: logConfigKeys, env: { DD_LOG_LEVEL: 'verbose' } })).toThrow(/log_level/);
    });
  });
});
