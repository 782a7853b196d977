import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../src/errors.js';
import { loadConfig } from '../src/load-config.js';
import { dsdTags, nonLocal, seriesV2, testKeys, yamlFilesRemovedAfterEach } from './helpers.js';

// The Datadog Agent reads booleans with spf13/cast ToBoolE: text through Go's strconv.ParseBool
// (exactly these twelve spellings), numbers as "not zero"; datadog.yaml is parsed by
// gopkg.in/yaml.v2, where plain yes/no/on/off/y/n are booleans too.
const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
// What the Agent reads as false (and only logs): we refuse them at start instead.
const REFUSED_TEXT = ['yes', 'no', 'on', 'off', 'Yes', 'tRUE', 'FaLsE', ' true', 'true ', 'y', '2', '-1', 'enabled'];

const EXPECTED =
  'a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False; in the YAML file also unquoted yes/no, on/off, y/n)';

const yamlFile = yamlFilesRemovedAfterEach();
function fromFile(text: string): ReturnType<typeof loadConfig> {
  return loadConfig({ keys: testKeys, env: {}, file: yamlFile(text) });
}
function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('boolean values, as the Datadog Agent reads them', () => {
  describe('from the environment', () => {
    it.each([...GO_TRUE.map((raw) => [raw, true] as const), ...GO_FALSE.map((raw) => [raw, false] as const)])(
      'DD_USE_V2_API_SERIES=%s is %s',
      (raw, expected) => {
        const config = loadConfig({ keys: testKeys, env: { DD_USE_V2_API_SERIES: raw } });
        expect(config.get(seriesV2)).toBe(expected);
        expect(config.source(seriesV2)).toEqual({ kind: 'env', detail: 'DD_USE_V2_API_SERIES' });
      },
    );

    it.each(REFUSED_TEXT)('refuses %j at start, naming the key, the variable and the accepted forms', (raw) => {
      expect(problem(() => loadConfig({ keys: testKeys, env: { DD_DOGSTATSD_NON_LOCAL_TRAFFIC: raw } }))).toBe(
        `dogstatsd_non_local_traffic: expected ${EXPECTED}, got ${JSON.stringify(raw)} (from env DD_DOGSTATSD_NON_LOCAL_TRAFFIC)`,
      );
    });
  });

  describe('from the YAML file', () => {
    it.each([
      ...['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y'].map((word) => [word, true] as const),
      ...['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'n', 'N'].map((word) => [word, false] as const),
    ])('plain %s is %s (YAML 1.1 booleans, as gopkg.in/yaml.v2 reads them)', (word, expected) => {
      expect(fromFile(`dogstatsd_non_local_traffic: ${word}\n`).get(nonLocal)).toBe(expected);
    });

    it.each([...GO_TRUE.map((raw) => [raw, true] as const), ...GO_FALSE.map((raw) => [raw, false] as const)])(
      'quoted "%s" is %s (a string, read by strconv.ParseBool)',
      (raw, expected) => {
        expect(fromFile(`dogstatsd_non_local_traffic: "${raw}"\n`).get(nonLocal)).toBe(expected);
      },
    );

    it.each([
      ['1', true],
      ['0', false],
      ['2', true],
      ['-1', true],
      ['0.5', true],
      ['0x0', false],
    ])('the number %s is %s (not zero is true, as cast.ToBoolE has it)', (number, expected) => {
      expect(fromFile(`dogstatsd_non_local_traffic: ${number}\n`).get(nonLocal)).toBe(expected);
    });

    it.each(['"yes"', "'no'", '"on"', '"tRUE"', 'enabled', '[true]', '{a: 1}'])('refuses %s, naming the key and the file', (value) => {
      const path = yamlFile(`dogstatsd_non_local_traffic: ${value}\n`);
      const message = problem(() => loadConfig({ keys: testKeys, env: {}, file: path }));
      expect(message).toMatch(new RegExp(`^dogstatsd_non_local_traffic: expected a boolean \\(.*\\), got .* \\(from file ${path}\\)$`));
    });

    it('reads a plain yes elsewhere as the boolean it is in YAML 1.1 (a tag `yes` is "true", as in the Agent)', () => {
      expect(fromFile('dogstatsd_tags: [yes, "no", env:no]\n').get(dsdTags)).toEqual(['true', 'no', 'env:no']);
    });
  });

  describe('from runtime overrides', () => {
    it('take booleans, numbers and the text forms; refuse other text', () => {
      const config = loadConfig({ keys: testKeys, env: {} });
      expect(config.withOverrides({ 'use_v2_api.series': false }).get(seriesV2)).toBe(false);
      expect(config.withOverrides({ 'use_v2_api.series': 0 }).get(seriesV2)).toBe(false);
      expect(config.withOverrides({ 'use_v2_api.series': 'F' }).get(seriesV2)).toBe(false);
      expect(config.withOverrides({ dogstatsd_non_local_traffic: 'T' }).get(nonLocal)).toBe(true);
      expect(problem(() => config.withOverrides({ dogstatsd_non_local_traffic: 'yes' }))).toBe(
        `dogstatsd_non_local_traffic: expected ${EXPECTED}, got "yes" (from runtime override)`,
      );
    });
  });
});
