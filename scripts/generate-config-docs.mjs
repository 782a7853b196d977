// Regenerates docs/configuration.md from the declared config keys. Run after `npm run build`
// (it reads the packages' dist/): `npm run docs:config`. The output is deterministic, so CI can
// regenerate it and fail on a diff.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allConfigKeys } from '../packages/agent/dist/config-keys.js';
import { renderConfigDocs } from '../packages/config/dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'configuration.md');

mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderConfigDocs(allConfigKeys, { title: 'Configuration' }));
console.log(`wrote ${target} (${allConfigKeys.length} keys)`);
