import { readFileSync } from 'node:fs';

// Read once from this package's package.json (one level above both src/ and dist/), so the
// version needs no build step to write it. agentkit's packages are released in lockstep, so
// this is every package's version (the CLI's, the forwarder's User-Agent).
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };

/** agentkit's version, e.g. `0.1.0`. */
export const AGENTKIT_VERSION: string = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
