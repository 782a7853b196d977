import { commonKeys } from '@agentkit/config';
import type { ConfigReader } from '@agentkit/core';
import type { Destination } from '@agentkit/forwarder';
import { logsKeys } from '../config-keys.js';
import { LogsError, LogsErrorCode } from '../errors.js';

/** serverless-init's logs host prefix (the Agent's `serverlessHTTPEndpointPrefix`). */
export const SERVERLESS_LOGS_HOST_PREFIX = 'http-intake.logs.';

/**
 * Where logs go, read as the Agent's `BuildHTTPEndpointsWithConfig` reads it:
 * `logs_config.logs_dd_url` as a URL (`http://` / `https://`: its scheme decides) or as
 * `host:port` (HTTPS unless `logs_config.logs_no_ssl`); else `intakeUrl` (agentkit's local
 * intake, when there is no API key and no `dd_url`); else `https://http-intake.logs.<site>`.
 * The key is `api_key`. Throws `ERR_LOGS_INVALID_ENDPOINT` naming the key to fix.
 */
export function resolveLogsDestination(config: ConfigReader, intakeUrl: string | undefined): Destination {
  const configured = config.get(logsKeys.logsDdUrl).trim();
  let url: URL;
  if (configured !== '') url = parseLogsDdUrl(configured, config.get(logsKeys.logsNoSsl));
  else if (intakeUrl !== undefined) url = new URL(intakeUrl);
  else url = new URL(`https://${SERVERLESS_LOGS_HOST_PREFIX}${config.get(commonKeys.site).trim().replace(/\.$/, '')}`);
  const basePath = url.pathname.replace(/\/+$/, '');
  return {
    origin: url.origin,
    basePath,
    apiKey: config.get(commonKeys.apiKey).trim(),
    label: `${url.origin}${basePath}`,
    keyIndex: 0,
    validateUrl: '',
    isDatadog: url.hostname.startsWith(SERVERLESS_LOGS_HOST_PREFIX),
  };
}

function parseLogsDdUrl(raw: string, noSsl: boolean): URL {
  const withScheme = raw.startsWith('http://') || raw.startsWith('https://');
  // As the Agent's parseAddress (net.SplitHostPort): without a scheme, host and port are both required.
  if (!withScheme && !/^(\[[^\]]+\]|[^:/[\]]+):\d+$/.test(raw)) {
    throw invalid(`logs_config.logs_dd_url: "${safe(raw)}" must be host:port (e.g. logs-proxy:10516) or an http:// or https:// URL`);
  }
  let url: URL;
  try {
    url = new URL(withScheme ? raw : `${noSsl ? 'http' : 'https'}://${raw}`);
  } catch (error) {
    throw invalid(`logs_config.logs_dd_url: "${safe(raw)}" is not a URL`, error);
  }
  if (url.search !== '' || url.hash !== '') throw invalid(`logs_config.logs_dd_url: "${safe(raw)}" must not have a query or fragment`);
  return url;
}

function safe(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, '//***@');
}

function invalid(message: string, cause?: unknown): LogsError {
  return new LogsError(LogsErrorCode.InvalidEndpoint, message, cause === undefined ? undefined : { cause });
}
