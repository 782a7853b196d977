import { commonKeys, maskUrlPassword, resolveHostname } from '@agentkit/config';
import { AGENTKIT_VERSION, type ConfigReader } from '@agentkit/core';
import type { AdditionalEndpoints } from '@agentkit/forwarder';
import { DebuggerError, DebuggerErrorCode } from '../errors.js';
import { DEBUGGER_ROUTES, type DebuggerRoute } from './debugger-routes.js';

/** One URL and the API key sent to it (empty: no `DD-API-KEY` header). */
export interface DebuggerTarget {
  readonly url: URL;
  readonly apiKey: string;
}

/** Where one route's requests go. */
export interface DebuggerDestination {
  readonly route: DebuggerRoute;
  /** The intake that answers the tracer. */
  readonly main: DebuggerTarget;
  /** Each gets a copy (a body held for retry only), answer ignored. */
  readonly additional: readonly DebuggerTarget[];
  /**
   * Which rule chose `main`: the route's `apm_config.*_dd_url`, the intake of `site` (an API
   * key or `dd_url` is set), or the local intake (neither is).
   */
  readonly kind: 'dd_url' | 'site' | 'local_intake';
}

/** The debugger destinations and the tags the agent adds, read once from config. */
export interface DebuggerDestinations {
  /** By tracer path. */
  readonly byPath: ReadonlyMap<string, DebuggerDestination>;
  /** `host:<h>,default_env:<env>,agent_version:<v>`: what the Agent puts first in the tags. */
  readonly hostTags: string;
}

/**
 * Computes where each proxied route goes, the Datadog Agent's way
 * (`debuggerProxyHandler` / `symDBProxyHandler`), with agentkit's local intake as the
 * destination of an agent that has nowhere else to send:
 * 1. the route's URL key (`apm_config.symdb_dd_url`, `apm_config.debugger_dd_url`,
 *    `apm_config.debugger_diagnostics_dd_url`), used verbatim;
 * 2. else, when `api_key` (or the route's API key) or `dd_url` is set, the intake of `site`:
 *    `https://debugger-intake.<site>/api/v2/debugger` (`https://http-intake.logs.<site>/api/v2/logs`
 *    for `/debugger/v1/input`);
 * 3. else the local intake, `http://127.0.0.1:<local_intake_port><tracer path>`.
 * The route's API key key, when set, replaces `api_key`. `symdb_url` (agentkit's own uploader)
 * is not read: it may well point at this proxy. Throws `ERR_DEBUGGER_INVALID_DESTINATION`,
 * naming the key, for a URL that is not http(s).
 */
export function resolveDebuggerDestinations(config: ConfigReader): DebuggerDestinations {
  const byPath = new Map<string, DebuggerDestination>();
  for (const route of DEBUGGER_ROUTES) byPath.set(route.path, resolveRoute(config, route));
  return { byPath, hostTags: agentHostTags(config) };
}

function resolveRoute(config: ConfigReader, route: DebuggerRoute): DebuggerDestination {
  const routeKey = config.get(route.keys.apiKey).trim();
  const apiKey = routeKey !== '' ? routeKey : config.get(commonKeys.apiKey).trim();
  const additional = additionalTargets(config.get(route.keys.additionalEndpoints), route.keys.additionalEndpoints.key);
  const explicit = config.get(route.keys.url).trim();
  if (explicit !== '') return { route, main: { url: parseUrl(explicit, route.keys.url.key), apiKey }, additional, kind: 'dd_url' };
  if (apiKey !== '' || config.get(commonKeys.ddUrl).trim() !== '') {
    const site = config.get(commonKeys.site).trim().replace(/\.$/, '');
    return { route, main: { url: parseUrl(`https://${route.intakeHost}.${site}${route.intakePath}`, commonKeys.site.key), apiKey }, additional, kind: 'site' };
  }
  const local = `http://127.0.0.1:${config.get(commonKeys.localIntakePort)}${route.path}`;
  return { route, main: { url: parseUrl(local, commonKeys.localIntakePort.key), apiKey: '' }, additional, kind: 'local_intake' };
}

/** The Agent's host tags; its default env is `none` when `env` is empty (trace-agent `DefaultEnv`). */
function agentHostTags(config: ConfigReader): string {
  const env = config.get(commonKeys.env).trim();
  return `host:${resolveHostname(config)},default_env:${env === '' ? 'none' : env},agent_version:${AGENTKIT_VERSION}`;
}

function additionalTargets(endpoints: AdditionalEndpoints, key: string): DebuggerTarget[] {
  const targets: DebuggerTarget[] = [];
  for (const [url, keys] of Object.entries(endpoints)) {
    if (!Array.isArray(keys)) throw new DebuggerError(DebuggerErrorCode.InvalidDestination, `${key}: the API keys of "${url}" must be a list of strings`);
    const parsed = parseUrl(url, key);
    for (const apiKey of keys) targets.push({ url: parsed, apiKey: String(apiKey).trim() });
  }
  return targets;
}

function parseUrl(text: string, key: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DebuggerError(DebuggerErrorCode.InvalidDestination, `${key}: "${maskUrlPassword(text)}" is not a URL; write it as https://host[:port]/path`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DebuggerError(DebuggerErrorCode.InvalidDestination, `${key}: "${maskUrlPassword(text)}" has the scheme ${url.protocol}; use https:// or http://`);
  return url;
}
