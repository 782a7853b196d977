import type { IncomingHttpHeaders } from 'node:http';
import type { DebuggerDestination, DebuggerTarget } from './debugger-destination.js';

/** The Agent's bound on the `ddtags` query value (`ddTagsQueryStringMaxLen`). */
export const DDTAGS_MAX_CHARS = 4001;
const ADDITIONAL_TAGS = 'x-datadog-additional-tags';

// Hop-by-hop headers (RFC 9110 §7.6.1) and what the proxy sets itself.
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'dd-api-key', 'expect']);

/** One request as it leaves for the intakes: its headers (without the API key) and path with query. */
export interface OutgoingRequest {
  readonly headers: Record<string, string>;
  /** The query, as the Agent sets it on every target (replacing the target URL's own). */
  readonly search: string;
  /** Tags the agent sent (`ddtags` or `X-Datadog-Additional-Tags`), for log lines. */
  readonly tags: string;
}

/**
 * The request the Datadog Agent's director makes of a tracer's (`getDirector`,
 * `getSymDBDirector`): the tracer's headers minus hop-by-hop ones, a fresh `DD-REQUEST-ID`,
 * `DD-EVP-ORIGIN`, and the tags `<host tags>[,<X-Datadog-Additional-Tags>][,<ddtags>]` — in
 * the `ddtags` query parameter (cut to 4001 characters) for the debugger routes, in
 * `X-Datadog-Additional-Tags` for symdb. Container tags are not added (no tagger here).
 */
export function outgoingRequest(destination: DebuggerDestination, hostTags: string, incomingHeaders: IncomingHttpHeaders, rawUrl: string): OutgoingRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incomingHeaders)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Web Crypto's randomUUID (the same v4 UUIDs as node:crypto's): it loads node:crypto at the
  // first forwarded request, not with this module, which every `agentkit exec` loads.
  headers['dd-request-id'] = crypto.randomUUID();
  headers['dd-evp-origin'] = destination.route.evpOrigin;
  const q = rawUrl.indexOf('?');
  const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
  let tags = hostTags;
  const headerTags = headers[ADDITIONAL_TAGS];
  if (headerTags !== undefined && headerTags !== '') tags = `${tags},${headerTags}`;
  const queryTags = query.get('ddtags');
  if (queryTags !== null && queryTags !== '') tags = `${tags},${queryTags}`;
  if (destination.route.tagsIn === 'header') {
    headers[ADDITIONAL_TAGS] = tags;
  } else {
    tags = tags.slice(0, DDTAGS_MAX_CHARS);
    query.set('ddtags', tags);
  }
  const search = query.toString();
  return { headers, search: search === '' ? '' : `?${search}`, tags };
}

/** The headers for one target: the API key added when there is one. */
export function headersFor(request: OutgoingRequest, target: DebuggerTarget, contentLength: number | undefined): Record<string, string> {
  const headers = { ...request.headers };
  if (target.apiKey !== '') headers['dd-api-key'] = target.apiKey;
  if (contentLength !== undefined) headers['content-length'] = String(contentLength);
  return headers;
}
