import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { renderConfigDocs } from '@agentkit/config';
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
});
