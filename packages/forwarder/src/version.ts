import { readFileSync } from 'node:fs';

// Read once from this package's package.json (one level above both src/ and dist/), so the
// User-Agent always matches the published version without a build step writing it.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };

/** The version of @agentkit/forwarder, sent as `DD-Agent-Version` and in `User-Agent`. */
export const AGENTKIT_VERSION: string = typeof pkg.version === 'string' ? pkg.version : '0.0.0';

/** `agentkit/<version>`. */
export const USER_AGENT = `agentkit/${AGENTKIT_VERSION}`;
