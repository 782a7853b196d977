// Writes a synthetic JavaScript/TypeScript source tree of about `targetBytes` (files of ~10 KB
// with classes, fields, methods, functions, closures and blocks). Deterministic: the same size
// gives the same tree, so runs compare.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function fileText(n) {
  const parts = [`// generated module ${n}\nimport { helper${n % 7} } from './shared.js';\n\nconst CONFIG_${n} = { retries: ${n % 5}, name: 'module-${n}' };\n`];
  for (let c = 0; c < 4; c++) {
    const cls = `Service${n}x${c}`;
    parts.push(`
export class ${cls} {
  count = 0;
  static instances = ${c};
  #secret = 'k${n}-${c}';

  constructor(client, options = {}) {
    this.client = client;
    this.options = options;
  }

  async fetch${c}(id, { retries = 3, timeoutMs } = {}) {
    let attempt = 0;
    while (attempt < retries) {
      try {
        const response = await this.client.get(\`/items/\${id}\`, { timeoutMs });
        return response.items.map((item) => ({ ...item, service: '${cls}' }));
      } catch (error) {
        const delay = 2 ** attempt * ${10 + c};
        attempt++;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    return [];
  }

  summarize(items) {
    const totals = new Map();
    for (const item of items) {
      const key = item.kind ?? 'unknown';
      totals.set(key, (totals.get(key) ?? 0) + item.value * ${c + 1});
    }
    return [...totals.entries()].sort((a, b) => b[1] - a[1]);
  }
}
`);
  }
  for (let f = 0; f < 6; f++) {
    parts.push(`
export function transform${n}_${f}(records, threshold = ${f * 3}) {
  const kept = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record.score > threshold) {
      const normalized = record.name.trim().toLowerCase();
      kept.push({ ...record, normalized, rank: i });
    }
  }
  return kept.filter((r) => r.rank % ${f + 2} === 0).map((r) => helper${n % 7}(r));
}
`);
  }
  return parts.join('');
}

/** Returns the tree's root, generating it under `baseDir` if it is not there yet. */
export function generateTree(baseDir, targetBytes) {
  const root = join(baseDir, `tree-${Math.round(targetBytes / 1e6)}mb`);
  const marker = join(root, '.complete');
  if (existsSync(marker)) return root;
  let written = 0;
  for (let n = 0; written < targetBytes; n++) {
    const dir = join(root, 'src', `pkg${Math.floor(n / 100)}`);
    mkdirSync(dir, { recursive: true });
    const text = fileText(n);
    writeFileSync(join(dir, `module${n}.${n % 3 === 0 ? 'ts' : 'js'}`), text);
    written += Buffer.byteLength(text);
  }
  mkdirSync(join(root, '.complete'));
  return root;
}
