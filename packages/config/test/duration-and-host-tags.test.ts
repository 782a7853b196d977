import { describe, expect, it } from '@jest/globals';
import { commonConfigKeys } from '../src/config-keys.js';
import { defineKey } from '../src/config-key.js';
import { ConfigError } from '../src/errors.js';
import { configuredTags, hostTags } from '../src/host-tags.js';
import { loadConfig } from '../src/load-config.js';
import { parseGoDurationMs } from '../src/parse.js';
import { renderConfigDocs } from '../src/render-docs.js';
import { yamlFilesRemovedAfterEach } from './helpers.js';

const window = defineKey({ key: 'expected_tags_duration', type: 'duration', default: 0, doc: 'A window.', datadog: { kind: 'same' } });

const yamlFile = yamlFilesRemovedAfterEach();

describe('duration keys (Go time.Duration, as the Agent reads them)', () => {
  it.each([
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['1500us', 1.5],
    // Go's two spellings of micro: the micro sign and the Greek mu.
    ['1500\u00b5s', 1.5],
    ['1500\u03bcs', 1.5],
    ['-2s', -2000],
    ['0', 0],
    // A bare number is nanoseconds, as Go's cast reads it: 30 is 30 ns, not 30 s.
    ['30', 0.00003],
  ])('parses %s as %d ms', (text, ms) => {
    expect(parseGoDurationMs(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '30x', 'm', '1h 30m', 'abc', '--1s'])('rejects %j', (text) => {
    expect(parseGoDurationMs(text)).toBeUndefined();
  });

  it('reads env, YAML strings and YAML numbers (nanoseconds) into milliseconds', () => {
    expect(loadConfig({ keys: [window], env: { DD_EXPECTED_TAGS_DURATION: '10m' } }).get(window)).toBe(600_000);
    expect(loadConfig({ keys: [window], env: {}, file: yamlFile('expected_tags_duration: 1h\n') }).get(window)).toBe(3_600_000);
    expect(loadConfig({ keys: [window], env: {}, file: yamlFile('expected_tags_duration: 2000000000\n') }).get(window)).toBe(2000);
    expect(loadConfig({ keys: [window], env: {} }).get(window)).toBe(0);
  });

  it('names the key and what it expected for a bad value', () => {
    expect(() => loadConfig({ keys: [window], env: { DD_EXPECTED_TAGS_DURATION: '10 minutes' } })).toThrow(ConfigError);
    expect(() => loadConfig({ keys: [window], env: { DD_EXPECTED_TAGS_DURATION: '10 minutes' } })).toThrow(
      /expected_tags_duration: expected a duration such as 30m/,
    );
  });

  it('documents the default the way Go prints it', () => {
    expect(renderConfigDocs([window])).toContain('`@param expected_tags_duration - duration - optional - default: 0s`');
  });
});

describe('host tags (tags + extra_tags + env:<env>)', () => {
  it('joins tags, extra_tags and env, sorted, each once, as the Agent\'s host-tags.system', () => {
    const config = loadConfig({
      keys: commonConfigKeys,
      env: { DD_TAGS: 'team:a role:web', DD_EXTRA_TAGS: 'role:web zone:1', DD_ENV: 'prod' },
    });
    expect(configuredTags(config)).toEqual(['role:web', 'team:a', 'zone:1']);
    expect(hostTags(config)).toEqual(['env:prod', 'role:web', 'team:a', 'zone:1']);
  });

  it('keeps a comma inside a tag outside serverless mode, as the Agent does', () => {
    const config = loadConfig({ keys: commonConfigKeys, env: { DD_TAGS: 'a:1,b:2' } });
    expect(hostTags(config)).toEqual(['a:1,b:2']);
  });

  it('has no env tag when env is empty', () => {
    expect(hostTags(loadConfig({ keys: commonConfigKeys, env: {} }))).toEqual([]);
  });
});
