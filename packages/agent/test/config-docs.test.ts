import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { renderConfigDocs, unsupportedAgentKeys } from '@agentkit/config';
import { allConfigKeys } from '../src/config-keys.js';
import { REPO_ROOT } from '../../../test/support/run-cli.js';

describe('docs/configuration.md', () => {
  it('matches the declared config keys (regenerate with `npm run docs:config`)', () => {
    const committed = readFileSync(`${REPO_ROOT}docs/configuration.md`, 'utf8');
    expect(committed).toBe(renderConfigDocs(allConfigKeys, { title: 'Configuration' }));
  });

  it('documents every key the default agent reads', () => {
    const committed = readFileSync(`${REPO_ROOT}docs/configuration.md`, 'utf8');
    for (const key of allConfigKeys) expect(committed).toContain(`\n### ${key.key}\n`);
  });

  it('lists as not supported no key the agent declares, nor a variable one of its keys reads', () => {
    const declared = new Set(allConfigKeys.map((key) => key.key));
    const variables = new Set(allConfigKeys.flatMap((key) => [key.env, ...key.envAliases]));
    for (const entry of unsupportedAgentKeys) {
      expect(declared.has(entry.key)).toBe(false);
      for (const name of entry.env) expect(variables.has(name)).toBe(false);
    }
  });

  it('says for every key how it compares with the Datadog Agent, with a reason where it is not the same', () => {
    for (const key of allConfigKeys) {
      const reason = key.datadog.kind === 'differs' ? key.datadog.how : key.datadog.kind === 'no-effect' ? key.datadog.why : 'n/a';
      expect(reason.trim().length).toBeGreaterThan(0);
    }
    expect(allConfigKeys.find((key) => key.key === 'dogstatsd_origin_detection_client')?.datadog.kind).toBe('no-effect');
  });
});
