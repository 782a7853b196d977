import { describe, expect, it } from '@jest/globals';
import { AgentkitError } from '@agentkit/core';
import { defaultEnvName, defineKey } from '../src/config-key.js';
import { ConfigErrorCode } from '../src/errors.js';
import { loadConfig } from '../src/load-config.js';
import { cardinality, dsdTags, mapperProfiles, port, seriesV2 } from './helpers.js';

describe('defineKey', () => {
  describe('env name', () => {
    it('derives DD_ + upper-case key with dots as underscores', () => {
      expect(port.env).toBe('DD_DOGSTATSD_PORT');
      expect(seriesV2.env).toBe('DD_USE_V2_API_SERIES');
      expect(defaultEnvName('a.b_c')).toBe('DD_A_B_C');
    });

    it('keeps an explicit env name and aliases in order', () => {
      const key = defineKey({ key: 'x', type: 'string', default: '', env: 'MY_X', envAliases: ['X1', 'X2'], doc: 'x', datadog: { kind: 'same' } });
      expect(key.env).toBe('MY_X');
      expect(key.envAliases).toEqual(['X1', 'X2']);
    });
  });

  describe('types', () => {
    it('flows the value type from the declaration to config.get', () => {
      const config = loadConfig({ keys: [port, dsdTags, cardinality, mapperProfiles], env: {} });
      const p: number = config.get(port);
      const tags: readonly string[] = config.get(dsdTags);
      const level: 'low' | 'orchestrator' | 'high' = config.get(cardinality);
      const profiles: { name: string }[] = config.get(mapperProfiles);
      // @ts-expect-error an integer key is not a string
      const wrong: string = config.get(port);
      expect([p, tags, level, profiles, wrong]).toEqual([8125, [], 'low', [], 8125]);
    });
  });

  describe('when the declaration is malformed', () => {
    const cases: [string, () => unknown][] = [
      ['upper-case key', () => defineKey({ key: 'Port', type: 'integer', default: 1, doc: '', datadog: { kind: 'same' } })],
      ['bad env name', () => defineKey({ key: 'p', type: 'integer', default: 1, env: 'DD-P', doc: '', datadog: { kind: 'same' } })],
      ['default outside range', () => defineKey({ key: 'p', type: 'integer', default: 70000, max: 65535, doc: '', datadog: { kind: 'same' } })],
      ['non-integer default', () => defineKey({ key: 'p', type: 'integer', default: 1.5, doc: '', datadog: { kind: 'same' } })],
      ['enum default not in values', () => defineKey({ key: 'e', type: 'enum', values: ['a'], default: 'b' as 'a', doc: '', datadog: { kind: 'same' } })],
      ['string key with a number default', () => defineKey({ key: 'j', type: 'string', default: 8 as unknown as string, doc: '', datadog: { kind: 'same' } })],
    ];
    it.each(cases)('throws ERR_CONFIG_INVALID_DECLARATION for %s', (_name, define) => {
      expect(define).toThrow(expect.objectContaining({ code: ConfigErrorCode.InvalidDeclaration }));
      try {
        define();
      } catch (error) {
        expect(AgentkitError.is(error, ConfigErrorCode.InvalidDeclaration)).toBe(true);
      }
    });
  });

  it('freezes the descriptor and its default', () => {
    expect(Object.isFrozen(port)).toBe(true);
    expect(Object.isFrozen(dsdTags.default)).toBe(true);
  });
});
