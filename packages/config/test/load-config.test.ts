import { describe, expect, it } from '@jest/globals';
import { commonConfigKeys, commonKeys } from '../src/config-keys.js';
import { defineKey } from '../src/config-key.js';
import { ConfigError, ConfigErrorCode } from '../src/errors.js';
import { loadConfig } from '../src/load-config.js';
import { BOOLEAN_EXPECTATION as BOOLEAN } from '../src/parse.js';
import {
  additionalEndpoints,
  cardinality,
  dsdTags,
  mapperProfiles,
  nonLocal,
  port,
  seriesV2,
  tempYaml,
  yamlFilesRemovedAfterEach,
  testKeys,
} from './helpers.js';

const yamlFile = yamlFilesRemovedAfterEach();
function loadError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  describe('defaults', () => {
    it('gives every key its default when no source sets it', () => {
      const config = loadConfig({ keys: testKeys, env: {} });
      expect(config.get(port)).toBe(8125);
      expect(config.get(seriesV2)).toBe(true);
      expect(config.get('dogstatsd_tag_cardinality')).toBe('low');
      expect(config.source(port)).toEqual({ kind: 'default' });
    });
  });

  describe('file', () => {
    it('reads nested maps as dotted keys, and dotted keys as written', () => {
      const nested = loadConfig({ keys: testKeys, env: {}, file: yamlFile('use_v2_api:\n  series: false\n') });
      expect(nested.get(seriesV2)).toBe(false);
      const dotted = loadConfig({ keys: testKeys, env: {}, file: yamlFile('use_v2_api.series: false\n') });
      expect(dotted.get(seriesV2)).toBe(false);
    });

    it('keeps YAML types and takes a json key\'s map whole', () => {
      const path = yamlFile(
        [
          'dogstatsd_port: 9125',
          'dogstatsd_tags: [env:prod, team:x]',
          'additional_endpoints:',
          '  "https://a.example": [k1, k2]',
          'dogstatsd_mapper_profiles:',
          '  - {name: p, prefix: "p."}',
        ].join('\n'),
      );
      const config = loadConfig({ keys: testKeys, env: {}, file: path });
      expect(config.get(port)).toBe(9125);
      expect(config.get(dsdTags)).toEqual(['env:prod', 'team:x']);
      expect(config.get(additionalEndpoints)).toEqual({ 'https://a.example': ['k1', 'k2'] });
      expect(config.get(mapperProfiles)).toEqual([{ name: 'p', prefix: 'p.' }]);
      expect(config.unknownKeys()).toEqual([]);
    });

    it('coerces unambiguous scalars as Datadog does ("8125" for an integer, yes for a boolean)', () => {
      const path = yamlFile('dogstatsd_port: "9000"\ndogstatsd_non_local_traffic: yes\n');
      const config = loadConfig({ keys: testKeys, env: {}, file: path });
      expect(config.get(port)).toBe(9000);
      expect(config.get(nonLocal)).toBe(true);
    });

    it('treats a key with no value as unset', () => {
      const config = loadConfig({ keys: testKeys, env: {}, file: yamlFile('dogstatsd_port:\n') });
      expect(config.get(port)).toBe(8125);
      expect(config.source(port).kind).toBe('default');
    });

    it('lists undeclared keys as dotted paths, and get(string) still returns them', () => {
      const path = yamlFile('logs_config:\n  enabled: true\n  batch: {size: 3}\ndogstatsd_prot: 1\n');
      const config = loadConfig({ keys: testKeys, env: {}, file: path });
      expect(config.unknownKeys()).toEqual(['logs_config.enabled', 'logs_config.batch.size', 'dogstatsd_prot']);
      expect(config.get('dogstatsd_prot')).toBe(1);
      expect(config.get('logs_config')).toEqual({ enabled: true, batch: { size: 3 } });
      expect(config.get('nothing_here')).toBeUndefined();
    });

    it('fails with ERR_CONFIG_FILE naming the path when the file is missing', () => {
      const missing = `${tempYaml('').dir}/nope.yaml`;
      const error = loadError(() => loadConfig({ keys: testKeys, env: {}, file: missing }));
      expect(error.code).toBe(ConfigErrorCode.File);
      expect(error.message).toContain(missing);
    });

    it('fails with ERR_CONFIG_FILE naming the file and line of a YAML syntax error', () => {
      const path = yamlFile('dogstatsd_port: 8125\nsite: datadoghq.com\ndogstatsd_tags: [a, b\n');
      const error = loadError(() => loadConfig({ keys: testKeys, env: {}, file: path }));
      expect(error.code).toBe(ConfigErrorCode.File);
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/line 4\b/);
    });

    it('fails with ERR_CONFIG_FILE when the top level is not a map', () => {
      const error = loadError(() => loadConfig({ keys: testKeys, env: {}, file: yamlFile('- a\n- b\n') }));
      expect(error.code).toBe(ConfigErrorCode.File);
    });
  });

  describe('env', () => {
    it('overrides the file', () => {
      const path = yamlFile('dogstatsd_port: 9125\n');
      const config = loadConfig({ keys: testKeys, env: { DD_DOGSTATSD_PORT: '10125' }, file: path });
      expect(config.get(port)).toBe(10125);
      expect(config.source(port)).toEqual({ kind: 'env', detail: 'DD_DOGSTATSD_PORT' });
    });

    it('accepts enum values in any case, normalised to the declared spelling', () => {
      expect(loadConfig({ keys: testKeys, env: { DD_DOGSTATSD_TAG_CARDINALITY: 'HIGH' } }).get(cardinality)).toBe('high');
      expect(() => loadConfig({ keys: testKeys, env: { DD_DOGSTATSD_TAG_CARDINALITY: 'huge' } })).toThrow(
        /dogstatsd_tag_cardinality: expected one of low, orchestrator, high/,
      );
    });

    it('ignores empty env vars', () => {
      const path = yamlFile('dogstatsd_port: 9125\n');
      const config = loadConfig({ keys: testKeys, env: { DD_DOGSTATSD_PORT: '' }, file: path });
      expect(config.get(port)).toBe(9125);
      expect(config.source(port).kind).toBe('file');
    });

    it('reads aliases after the primary name, skipping empty ones', () => {
      const keys = commonConfigKeys;
      expect(loadConfig({ keys, env: { DD_URL: 'https://b' } }).get(commonKeys.ddUrl)).toBe('https://b');
      const both = loadConfig({ keys, env: { DD_DD_URL: 'https://a', DD_URL: 'https://b' } });
      expect(both.get(commonKeys.ddUrl)).toBe('https://a');
      const emptyPrimary = loadConfig({ keys, env: { DD_DD_URL: '', DD_URL: 'https://b' } });
      expect(emptyPrimary.source(commonKeys.ddUrl)).toEqual({ kind: 'env', detail: 'DD_URL' });
    });

    it('splits string lists on whitespace only (commas stay inside a tag, as in the Agent)', () => {
      const config = loadConfig({ keys: testKeys, env: { DD_DOGSTATSD_TAGS: ' env:prod\tteam:x  a,b ' } });
      expect(config.get(dsdTags)).toEqual(['env:prod', 'team:x', 'a,b']);
    });

    it('parses json values', () => {
      const env = {
        DD_DOGSTATSD_MAPPER_PROFILES: '[{"name":"p","prefix":"p."}]',
        DD_ADDITIONAL_ENDPOINTS: '{"https://a.example":["k1"]}',
      };
      const config = loadConfig({ keys: testKeys, env });
      expect(config.get(mapperProfiles)).toEqual([{ name: 'p', prefix: 'p.' }]);
      expect(config.get(additionalEndpoints)).toEqual({ 'https://a.example': ['k1'] });
      expect(Object.isFrozen(config.get(mapperProfiles)[0])).toBe(true);
    });

    it('is snapshotted at load', () => {
      const env: Record<string, string> = { DD_DOGSTATSD_PORT: '9000' };
      const config = loadConfig({ keys: testKeys, env });
      env.DD_DOGSTATSD_PORT = '9001';
      expect(config.withOverrides({}).get(port)).toBe(9000);
    });
  });

  describe('runtime overrides', () => {
    it('override env, and withOverrides layers another runtime layer', () => {
      const config = loadConfig({ keys: testKeys, env: { DD_DOGSTATSD_PORT: '9000' }, overrides: { dogstatsd_port: 9001 } });
      expect(config.get(port)).toBe(9001);
      expect(config.source(port)).toEqual({ kind: 'runtime' });
      const next = config.withOverrides({ dogstatsd_port: '9002', dogstatsd_tags: 'a b' });
      expect(next.get(port)).toBe(9002);
      expect(next.get(dsdTags)).toEqual(['a', 'b']);
      expect(config.get(port)).toBe(9001);
    });

    it('withOverrides rejects invalid values with ERR_CONFIG_INVALID_VALUE', () => {
      const config = loadConfig({ keys: testKeys, env: {} });
      const error = loadError(() => config.withOverrides({ dogstatsd_port: -1 }));
      expect(error.code).toBe(ConfigErrorCode.InvalidValue);
      expect(error.message).toBe('dogstatsd_port: expected an integer from 0 to 65535, got -1 (from runtime override)');
    });
  });

  describe('validation', () => {
    it('reports every invalid value from every source in one error, one line each', () => {
      const path = yamlFile('dogstatsd_port: 8125.5\ndogstatsd_tag_cardinality: medium\nsample_ratio: 2\n');
      const error = loadError(() =>
        loadConfig({
          keys: testKeys,
          file: path,
          env: { DD_DOGSTATSD_PORT: 'abc', DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'maybe', DD_DOGSTATSD_MAPPER_PROFILES: '{"a":1}' },
          overrides: { 'use_v2_api.series': 'sure' },
        }),
      );
      expect(error.code).toBe(ConfigErrorCode.InvalidValue);
      expect(error.message.split('\n')).toEqual([
        `dogstatsd_port: expected an integer from 0 to 65535, got 8125.5 (from file ${path})`,
        'dogstatsd_port: expected an integer from 0 to 65535, got "abc" (from env DD_DOGSTATSD_PORT)',
        `dogstatsd_non_local_traffic: expected ${BOOLEAN}, got "maybe" (from env DD_DOGSTATSD_NON_LOCAL_TRAFFIC)`,
        `use_v2_api.series: expected ${BOOLEAN}, got "sure" (from runtime override)`,
        `dogstatsd_tag_cardinality: expected one of low, orchestrator, high, got "medium" (from file ${path})`,
        'dogstatsd_mapper_profiles: expected a JSON array, got "{\\"a\\":1}" (from env DD_DOGSTATSD_MAPPER_PROFILES)',
        `sample_ratio: expected a number from 0 to 1, got 2 (from file ${path})`,
      ]);
      expect(error.problems.map((p) => [p.key, p.source.kind])).toContainEqual(['dogstatsd_port', 'env']);
    });

    it('rejects malformed JSON from env', () => {
      const error = loadError(() => loadConfig({ keys: testKeys, env: { DD_ADDITIONAL_ENDPOINTS: '{nope' } }));
      expect(error.problems).toEqual([
        expect.objectContaining({ key: 'additional_endpoints', expected: 'a JSON object' }),
      ]);
    });

    it('masks secrets in error messages', () => {
      const secretPort = defineKey({ key: 'secret_port', type: 'integer', default: 1, secret: true, doc: 's', datadog: { kind: 'same' } });
      const error = loadError(() => loadConfig({ keys: [secretPort], env: { DD_SECRET_PORT: 'hunter2-is-my-password' } }));
      expect(error.message).not.toContain('hunter2');
      expect(error.message).toContain('*sword"');
    });

    it('rejects two declarations of one key with ERR_CONFIG_DUPLICATE_KEY', () => {
      const again = defineKey({ key: 'dogstatsd_port', type: 'integer', default: 1, doc: 'again', datadog: { kind: 'same' } });
      const error = loadError(() => loadConfig({ keys: [...testKeys, again], env: {} }));
      expect(error.code).toBe(ConfigErrorCode.DuplicateKey);
      expect(error.message).toContain('dogstatsd_port');
      expect(() => loadConfig({ keys: [port, port], env: {} })).not.toThrow();
    });
  });

  describe('get', () => {
    it('throws ERR_CONFIG_UNDECLARED_KEY for a descriptor that was not loaded', () => {
      const config = loadConfig({ keys: [port], env: {} });
      expect(() => config.get(cardinality)).toThrow(expect.objectContaining({ code: ConfigErrorCode.UndeclaredKey }));
    });
  });

  describe('entries and secrets', () => {
    it('lists keys in declaration order with sources, secrets masked', () => {
      const apiKey = 'abcdef0123456789abcdef012345ab12c';
      const path = yamlFile('site: datadoghq.eu\n');
      const config = loadConfig({ keys: commonConfigKeys, env: { DD_API_KEY: apiKey }, file: path });
      const entries = config.entries();
      expect(entries.map((e) => e.key)).toEqual(['api_key', 'site', 'dd_url', 'hostname', 'env', 'service', 'version', 'tags', 'extra_tags', 'bind_host', 'local_intake_port', 'serverless.enabled']);
      expect(entries[0]).toEqual(
        expect.objectContaining({ value: `${'*'.repeat(apiKey.length - 5)}ab12c`, secret: true, env: 'DD_API_KEY' }),
      );
      expect(entries[0]?.source).toEqual({ kind: 'env', detail: 'DD_API_KEY' });
      expect(entries[1]).toEqual(expect.objectContaining({ value: 'datadoghq.eu', source: { kind: 'file', detail: path } }));
      expect(entries[2]).toEqual(expect.objectContaining({ env: 'DD_DD_URL', envAliases: ['DD_URL'] }));
      expect(config.get(commonKeys.apiKey)).toBe(apiKey);
      expect(config.masked('api_key')).toBe(entries[0]?.value);
      expect(config.masked(commonKeys.site)).toBe('datadoghq.eu');
      expect(config.keys()).toEqual(commonConfigKeys);
    });
  });
});
