import type { Logger } from '@agentkit/core';
import type { Destination } from '../endpoints/resolve-destinations.js';
import type { HttpTransport } from '../transport/transport.def.js';

/** What the intake said of one API key. `unknown`: no answer; forwarding goes on regardless. */
export type ApiKeyVerdict = 'valid' | 'invalid' | 'unknown';

/**
 * Checks one destination's API key with `GET <api>/api/v1/validate` (reference §5.7) and logs
 * the verdict. Fails open: an invalid or unverifiable key is logged, never fatal, because the
 * intake may be a proxy that does not implement the route. Never rejects; never logs the key.
 */
export async function validateApiKey(
  transport: HttpTransport,
  destination: Destination,
  userAgent: Readonly<Record<string, string>>,
  signal: AbortSignal,
  log: Logger,
): Promise<ApiKeyVerdict> {
  const url = new URL(destination.validateUrl);
  const where = { url: destination.validateUrl, intake: destination.label, keyIndex: destination.keyIndex };
  const outcome = await transport.send({
    origin: url.origin,
    path: url.pathname,
    method: 'GET',
    headers: { ...userAgent, 'DD-API-KEY': destination.apiKey },
    signal,
  });
  if (outcome.kind === 'error') {
    if (!outcome.aborted) {
      const via = outcome.proxy === undefined ? {} : { proxy: outcome.proxy };
      log.warn({ ...where, error: outcome.code, message: outcome.message, ...via }, 'could not validate the API key (no answer); forwarding anyway');
    }
    return 'unknown';
  }
  if (outcome.status >= 200 && outcome.status < 300) {
    log.debug(where, 'API key is valid');
    return 'valid';
  }
  if (outcome.status === 403) {
    log.error(
      { ...where, status: outcome.status },
      'the intake rejected the API key: payloads sent with it will be dropped (403); fix api_key or additional_endpoints. Forwarding continues',
    );
    return 'invalid';
  }
  log.warn({ ...where, status: outcome.status }, 'could not validate the API key; forwarding anyway');
  return 'unknown';
}
