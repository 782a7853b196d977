import { commonKeys } from '@agentkit/config';
import type { ConfigReader } from '@agentkit/core';
import { forwarderKeys } from '../config-keys.js';
import { ForwarderError, ForwarderErrorCode } from '../errors.js';

/** Where one copy of every payload goes: one intake URL with one API key. */
export interface Destination {
  /** `https://host[:port]`: what the HTTP client connects to. */
  readonly origin: string;
  /** A path prefix from the configured URL (`''` or `/prefix`), put before each route. */
  readonly basePath: string;
  /** Sent as `DD-API-KEY`; empty means the header is left out. Never logged. */
  readonly apiKey: string;
  /** The URL as configured, versioned host included: for logs and telemetry, never the key. */
  readonly label: string;
  /** Which of this URL's keys it is (0 = first), to tell copies apart in logs without the key. */
  readonly keyIndex: number;
  /** `GET` here checks the API key (reference §5.7). */
  readonly validateUrl: string;
  /** A Datadog intake (which rejects payloads without a valid key), not a proxy or local intake. */
  readonly isDatadog: boolean;
}

/** The result of resolving: the destinations, and why some configured entries were skipped. */
export interface ResolvedDestinations {
  readonly destinations: readonly Destination[];
  readonly skipped: readonly string[];
}

// Hosts the Datadog Agent rewrites to a version-prefixed host: app[.mrf][.<region>].<site>.
const DATADOG_APP_HOST = /^app(\.mrf)?(\.[a-z]{2,}\d{1,2})?\.(datadoghq\.com|datadoghq\.eu|datad0g\.com|datad0g\.eu|ddog-gov\.com)$/;

const VALIDATE_PATH = '/api/v1/validate';

/**
 * The destinations of every payload (reference §5.1, §5.8, §6.2): the main URL (`dd_url`, or
 * `https://app.<site>`) with `api_key`, then every `additional_endpoints` URL with each of its
 * keys. Known Datadog hosts get the Agent's version-prefixed host
 * (`https://0-1-0-app.agent.datadoghq.com`); a URL repeated across entries keeps one
 * destination per distinct key. Throws `ERR_FORWARDER_INVALID_ENDPOINT` naming the key to fix.
 */
export function resolveDestinations(config: ConfigReader, version: string): ResolvedDestinations {
  const ddUrl = config.get(commonKeys.ddUrl).trim();
  const site = config.get(commonKeys.site).trim().replace(/\.$/, '');
  const mainKeyName = ddUrl === '' ? 'site' : 'dd_url';
  const mainUrl = ddUrl === '' ? `https://app.${site}` : ddUrl;
  const perUrl = new Map<string, { url: URL; keys: string[]; keyName: string; apiOrigin: string }>();
  const skipped: string[] = [];

  const add = (raw: string, keys: readonly string[], keyName: string, apiOrigin?: string): void => {
    const url = parseIntakeUrl(raw, keyName);
    const id = url.href;
    const entry = perUrl.get(id) ?? { url, keys: [], keyName, apiOrigin: apiOrigin ?? apiOriginFor(url) };
    for (const key of keys) if (!entry.keys.includes(key)) entry.keys.push(key);
    perUrl.set(id, entry);
  };

  add(mainUrl, [config.get(commonKeys.apiKey).trim()], mainKeyName, ddUrl === '' ? `https://api.${site}` : undefined);
  for (const [raw, keys] of Object.entries(checkAdditionalEndpoints(config.get(forwarderKeys.additionalEndpoints)))) {
    const usable = keys.map((k) => k.trim()).filter((k) => k !== '');
    if (usable.length === 0) {
      skipped.push(`additional_endpoints: ${safeUrlLabel(raw)} has no API key; nothing is sent there`);
      continue;
    }
    add(raw, usable, 'additional_endpoints');
  }

  const destinations: Destination[] = [];
  for (const { url, keys, apiOrigin } of perUrl.values()) {
    const versioned = withVersionedHost(url, version);
    const basePath = versioned.pathname.replace(/\/+$/, '');
    const label = `${versioned.origin}${basePath}`;
    const validateUrl = `${apiOrigin}${VALIDATE_PATH}`;
    const isDatadog = DATADOG_APP_HOST.test(url.hostname);
    keys.forEach((apiKey, keyIndex) => {
      destinations.push({ origin: versioned.origin, basePath, apiKey, label, keyIndex, validateUrl, isDatadog });
    });
  }
  return { destinations, skipped };
}

/** `https://app.datadoghq.com` → `https://0-1-0-app.agent.datadoghq.com`; other URLs unchanged. */
export function withVersionedHost(url: URL, version: string): URL {
  if (!DATADOG_APP_HOST.test(url.hostname)) return url;
  const numbers = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  const prefix = numbers === null ? '0-0-0' : `${numbers[1]}-${numbers[2]}-${numbers[3]}`;
  const out = new URL(url.href);
  out.hostname = `${prefix}-app.agent${url.hostname.slice('app'.length)}`;
  return out;
}

// Datadog hosts validate keys on the api. host of the same site; anything else (a proxy, a
// local intake) on the URL it was given.
function apiOriginFor(url: URL): string {
  if (DATADOG_APP_HOST.test(url.hostname)) {
    const site = url.hostname.replace(/^app(\.mrf)?\./, '');
    return `${url.protocol}//api.${site}${url.port === '' ? '' : `:${url.port}`}`;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseIntakeUrl(raw: string, keyName: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw invalidEndpoint(`${keyName}: "${safeUrlLabel(raw)}" is not a URL; give one like https://app.datadoghq.com`, error);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidEndpoint(`${keyName}: "${safeUrlLabel(raw)}" must be an http:// or https:// URL`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalidEndpoint(`${keyName}: "${safeUrlLabel(raw)}" must not have a query or fragment`);
  }
  return url;
}

function checkAdditionalEndpoints(value: unknown): Record<string, readonly string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidEndpoint('additional_endpoints: expected a map of URL to a list of API keys, e.g. {"https://app.datadoghq.eu": ["key"]}');
  }
  const out: Record<string, readonly string[]> = {};
  for (const [url, keys] of Object.entries(value)) {
    if (typeof keys === 'string') out[url] = [keys];
    else if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) out[url] = keys;
    else throw invalidEndpoint(`additional_endpoints: the API keys of ${safeUrlLabel(url)} must be a list of strings`);
  }
  return out;
}

// A URL may carry credentials (https://user:secret@proxy); they never reach a message.
function safeUrlLabel(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, '//***@');
}

function invalidEndpoint(message: string, cause?: unknown): ForwarderError {
  return new ForwarderError(ForwarderErrorCode.InvalidEndpoint, message, cause === undefined ? undefined : { cause });
}
