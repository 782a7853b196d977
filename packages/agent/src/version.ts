import { readFileSync } from 'node:fs';

/** agentkit's version, from this package's package.json (dist/../package.json or src/../). */
export function agentkitVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
