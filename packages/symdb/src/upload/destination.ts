import { commonKeys } from '@agentkit/config';
import type { ConfigReader } from '@agentkit/core';
import { symdbKeys } from '../config-keys.js';

/** The path of the symdb route on the Datadog Agent's trace-agent and on agentkit's local intake. */
export const SYMDB_AGENT_PATH = '/symdb/v1/input';
/** What the trace-agent's proxy and libdatadog send as `DD-EVP-ORIGIN`. */
export const SYMDB_EVP_ORIGIN = 'agent-symdb';

export interface SymdbDestination {
  readonly url: string;
  /** Sent with every request (API key, EVP origin). */
  readonly headers: Readonly<Record<string, string>>;
  /** Which rule chose the URL, for messages: `symdb_url`, agentless (`api_key` + `site`) or the local intake. */
  readonly kind: 'symdb_url' | 'agentless' | 'local_intake';
}

/**
 * Where batches go: `symdb_url` if set; else, with an API key, the debugger intake of `site`
 * (as libdatadog's agentless sender: `https://debugger-intake.<site>/api/v2/debugger`); else
 * agentkit's local intake on 127.0.0.1:`local_intake_port`.
 */
export function resolveSymdbDestination(config: ConfigReader): SymdbDestination {
  const apiKey = config.get(commonKeys.apiKey);
  const explicit = config.get(symdbKeys.url);
  const headers: Record<string, string> = { 'DD-EVP-ORIGIN': SYMDB_EVP_ORIGIN };
  if (apiKey !== '') headers['DD-API-KEY'] = apiKey;
  if (explicit !== '') return { url: explicit, headers, kind: 'symdb_url' };
  if (apiKey !== '') {
    const site = config.get(commonKeys.site).replace(/\.$/, '');
    return { url: `https://debugger-intake.${site}/api/v2/debugger`, headers, kind: 'agentless' };
  }
  return { url: `http://127.0.0.1:${config.get(symdbKeys.localIntakePort)}${SYMDB_AGENT_PATH}`, headers, kind: 'local_intake' };
}
