import { commonKeys } from '@agentkit/config';
import type { ConfigReader } from '@agentkit/core';
import { readHttpClientSettings, type HttpClientSettings } from '@agentkit/forwarder';
import { symdbKeys } from '../config-keys.js';
import { resolveSymdbDestination, type SymdbDestination } from './destination.js';

/** What `uploadDirectory` takes from configuration. */
export interface SymdbUploadSettings {
  readonly service: string;
  readonly version: string;
  readonly env: string;
  readonly destination: SymdbDestination;
  /** `proxy.*`, `skip_ssl_validation`, `min_tls_version`, as for the forwarder. */
  readonly http: HttpClientSettings;
  readonly flushThresholdBytes: number;
  readonly excludeDirs: readonly string[];
}

/** Reads the symdb keys (and `env`, `api_key`, `site`, the proxy and TLS keys) once. Throws `ERR_FORWARDER_INVALID_PROXY` for an unusable proxy URL. */
export function symdbUploadSettings(config: ConfigReader): SymdbUploadSettings {
  return {
    service: config.get(symdbKeys.service),
    version: config.get(symdbKeys.version),
    env: config.get(commonKeys.env),
    destination: resolveSymdbDestination(config),
    http: readHttpClientSettings(config),
    flushThresholdBytes: config.get(symdbKeys.flushThresholdBytes),
    excludeDirs: config.get(symdbKeys.excludeDirs),
  };
}
