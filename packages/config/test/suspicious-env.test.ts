import { describe, expect, it } from '@jest/globals';
import { commonConfigKeys } from '../src/config-keys.js';
import { loadConfig } from '../src/load-config.js';
import { editDistance, findSuspiciousEnv } from '../src/suspicious-env.js';
import { unsupportedAgentKeys } from '../src/unsupported-keys.js';
import { OTHER_COMPONENTS_ENV as OTHER_COMPONENTS } from '../../../test/support/other-components-env.js';
import { dsdTags, nonLocal, port, seriesV2 } from './helpers.js';

const keys = [...commonConfigKeys, port, nonLocal, dsdTags, seriesV2];
const suspicious = (env: Record<string, string>) => findSuspiciousEnv(env, keys, unsupportedAgentKeys);


describe('suspicious DD_* variables', () => {
  it.each([
    ['DD_DOGSTATD_PORT', 'DD_DOGSTATSD_PORT', 'dogstatsd_port'],
    ['DD_DOGSTATSD_PORTS', 'DD_DOGSTATSD_PORT', 'dogstatsd_port'],
    ['DD_DOGSTASTD_PORT', 'DD_DOGSTATSD_PORT', 'dogstatsd_port'],
    ['DD_API_KY', 'DD_API_KEY', 'api_key'],
    ['dd_api_key', 'DD_API_KEY', 'api_key'],
    ['DD_USE_V2_API_SERIE', 'DD_USE_V2_API_SERIES', 'use_v2_api.series'],
    ['DD_DOGSTATSD_NONLOCAL_TRAFFIC', 'DD_DOGSTATSD_NON_LOCAL_TRAFFIC', 'dogstatsd_non_local_traffic'],
    ['DD_TAG', 'DD_TAGS', 'tags'],
  ])('reports %s as a misspelling of %s (%s)', (variable, env, key) => {
    expect(suspicious({ [variable]: 'x' })).toEqual([{ kind: 'misspelt', variable, env, key }]);
  });

  it('reports nothing for variables of other Datadog components, nor for ours', () => {
    const env = Object.fromEntries([...OTHER_COMPONENTS, 'DD_DOGSTATSD_PORT', 'DD_URL', 'DD_DD_URL'].map((name) => [name, '1']));
    expect(suspicious(env)).toEqual([]);
  });

  it('reports nothing for names far from all of ours, for other prefixes, nor for empty values', () => {
    expect(suspicious({ DD_SOMETHING_ELSE_ENTIRELY: '1', DOGSTATSD_PORT: '1', XDD_API_KEY: '1', DD_API_KY: '' })).toEqual([]);
  });

  it('allows one edit for short names and two for long ones', () => {
    expect(suspicious({ DD_ENVS: 'prod' })).toEqual([{ kind: 'misspelt', variable: 'DD_ENVS', env: 'DD_ENV', key: 'env' }]);
    expect(suspicious({ DD_EVNS: 'prod' })).toEqual([]);
    expect(suspicious({ DD_DOGSTATD_PORTS: '1' })).toEqual([{ kind: 'misspelt', variable: 'DD_DOGSTATD_PORTS', env: 'DD_DOGSTATSD_PORT', key: 'dogstatsd_port' }]);
    expect(suspicious({ DD_DOGSTAT_PORTS: '1' })).toEqual([]);
  });

  it('reports the variables of Agent keys agentkit does not support, by key', () => {
    // DD_APM_ENABLED and DD_LOGS_ENABLED are no longer among them: @agentkit/apm and @agentkit/logs declare them (issues 15, 16).
    expect(suspicious({ DD_DOGSTATSD_ORIGIN_DETECTION: 'true', DD_TELEMETRY_ENABLED: 'true' })).toEqual([
      { kind: 'unsupported', variable: 'DD_DOGSTATSD_ORIGIN_DETECTION', key: 'dogstatsd_origin_detection' },
      { kind: 'unsupported', variable: 'DD_TELEMETRY_ENABLED', key: 'telemetry.enabled' },
    ]);
  });

  it('is what Config.suspiciousEnv() returns for the env loadConfig read', () => {
    const config = loadConfig({ keys, env: { DD_API_KY: 'abc', DD_DOGSTATSD_PORT: '9000' } });
    expect(config.suspiciousEnv()).toEqual([{ kind: 'misspelt', variable: 'DD_API_KY', env: 'DD_API_KEY', key: 'api_key' }]);
    expect(config.withOverrides({ dogstatsd_port: 1 }).suspiciousEnv()).toEqual(config.suspiciousEnv());
    expect(loadConfig({ keys, env: {} }).suspiciousEnv()).toEqual([]);
  });

  describe('editDistance', () => {
    it.each([
      ['PORT', 'PORT', 0],
      ['PORT', 'PORTS', 1],
      ['PORT', 'PROT', 1],
      ['HOST', 'PORT', 2],
      ['ABC', 'XYZ', 3],
    ])('%s → %s is %d', (a, b, distance) => {
      expect(editDistance(a, b, 10)).toBe(distance);
    });

    it('stops at the limit', () => {
      expect(editDistance('DOGSTATSD_PORT', 'LOG_FORMAT_JSON', 3)).toBe(3);
      expect(editDistance('A', 'ABCDEFG', 3)).toBe(3);
    });
  });
});
