import { readFileSync } from 'node:fs';

/**
 * Set by a build that has no package.json beside its code (the single executable,
 * scripts/build-binary.mjs, through esbuild's `define`); undeclared everywhere else.
 */
declare const __AGENTKIT_VERSION__: string | undefined;

// Otherwise read once from this package's package.json (one level above both src/ and dist/),
// so the version needs no build step to write it. agentkit's packages are released in
// lockstep, so this is every package's version (the CLI's, the forwarder's User-Agent).
function readVersion(): string {
  if (typeof __AGENTKIT_VERSION__ === 'string') return __AGENTKIT_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** agentkit's version, e.g. `0.1.0`. */
export const AGENTKIT_VERSION: string = readVersion();
