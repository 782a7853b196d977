import type { CloudService } from './cloud-service.js';
import { CLOUD_RUN_FUNCTION_NAMESPACE, CLOUD_RUN_JOB_NAMESPACE, CLOUD_RUN_NAMESPACE } from './detect-cloud-service.js';
import { tagKey } from './tags.js';

/** serverless-init's metadata timeout: the lookup must never hold anything up. */
export const DEFAULT_METADATA_TIMEOUT_MS = 300;
/** Google's metadata server; `GCE_METADATA_HOST` (honoured by Google's clients) replaces the host. */
export const DEFAULT_METADATA_HOST = 'metadata.google.internal';
/** Metadata values are short ids and names; anything longer is not what was asked for. */
const MAX_VALUE_CHARS = 256;

export interface CloudMetadataOptions {
  /** Bound on the whole lookup (all requests run at once). Default 300 ms. */
  readonly timeoutMs?: number;
  /** Default: the global `fetch`. */
  readonly fetchImpl?: typeof fetch;
  /** Aborting it ends the lookup at once (resolving with what arrived). */
  readonly signal?: AbortSignal;
  /** The metadata server's base URL; default `http://<GCE_METADATA_HOST or metadata.google.internal>/computeMetadata/v1`. */
  readonly baseUrl?: string;
  /** Where `GCE_METADATA_HOST` is read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Cloud Run's instance metadata as tags: `container_id`, `location` (the region), `project_id`,
 * each again under the namespace (`gcr.`, `gcrfx.` or `gcrj.`), and the namespaced
 * `resource_name` (`projects/<p>/locations/<l>/services/<s>`, `…/jobs/<j>`). High-cardinality
 * ones included: filter with `withoutHighCardinalityTags` before putting them on metrics.
 *
 * Meant to run in the background: it never throws, resolves with `[]` at once on any other
 * platform, and otherwise within `timeoutMs` (300 ms) with whatever answered by then; a value
 * that failed or timed out is left out (serverless-init would tag `unknown`). Values are
 * lower-cased, as serverless-init does. May be called at any time, any number of times.
 */
export async function lookupCloudMetadata(cloud: CloudService, options: CloudMetadataOptions = {}): Promise<readonly string[]> {
  const ns = namespaceOf(cloud);
  if (ns === undefined) return [];
  try {
    const env = options.env ?? process.env;
    const base = options.baseUrl ?? `http://${env['GCE_METADATA_HOST'] || DEFAULT_METADATA_HOST}/computeMetadata/v1`;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
    const get = (path: string): Promise<string | undefined> => fetchValue(options.fetchImpl ?? fetch, `${base}${path}`, signal);
    const [containerId, region, projectId] = await Promise.all([get('/instance/id'), get('/instance/region'), get('/project/project-id')]);
    // The region comes as `projects/<number>/regions/<region>`.
    const location = region?.split('/').at(-1);
    const tags: string[] = [];
    for (const [key, value] of [
      ['container_id', containerId],
      ['location', location],
      ['project_id', projectId],
    ] as const) {
      if (value !== undefined && value !== '') tags.push(`${key}:${value}`, `${ns}${key}:${value}`);
    }
    const resource = resourceName(cloud, ns, projectId, location);
    if (resource !== undefined) tags.push(`${ns}resource_name:${resource}`);
    return tags;
  } catch {
    // Never reached in practice (fetchValue settles to undefined); a lookup must not take anything down.
    return [];
  }
}

function namespaceOf(cloud: CloudService): string | undefined {
  if (cloud.kind === 'cloud_run_job') return CLOUD_RUN_JOB_NAMESPACE;
  if (cloud.kind !== 'cloud_run') return undefined;
  return cloud.tags.some((tag) => tag.startsWith(CLOUD_RUN_FUNCTION_NAMESPACE)) ? CLOUD_RUN_FUNCTION_NAMESPACE : CLOUD_RUN_NAMESPACE;
}

// Always direct, never through `proxy.*` / HTTPS_PROXY: the Datadog Agent keeps cloud metadata
// off the proxy (`use_proxy_for_cloud_metadata`, false by default, adds 169.254.169.254 and
// 100.100.100.200 to no_proxy, "Azure, EC2, GCE" and Alibaba in pkg/config/setup), and the
// metadata server is link-local, out of any proxy's reach. Node's global fetch reads no proxy
// variables (unless NODE_USE_ENV_PROXY, Node 24+), so using it rather than @agentkit/forwarder's
// HTTP client is what keeps it direct.
// (serverless-init's own lookup uses Go's default client, which would honour HTTP_PROXY.)
async function fetchValue(fetchImpl: typeof fetch, url: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    const response = await fetchImpl(url, { headers: { 'Metadata-Flavor': 'Google' }, signal });
    const text = await response.text();
    if (!response.ok || text.length > MAX_VALUE_CHARS) return undefined;
    return text.trim().toLowerCase();
  } catch {
    return undefined;
  }
}

function resourceName(cloud: CloudService, ns: string, project: string | undefined, location: string | undefined): string | undefined {
  if (!project || !location) return undefined;
  const tagValue = (key: string): string | undefined => {
    const tag = cloud.tags.find((t) => tagKey(t) === key);
    return tag?.slice(key.length + 1);
  };
  const prefix = `projects/${project}/locations/${location}`;
  if (cloud.kind === 'cloud_run_job') return `${prefix}/jobs/${tagValue('job_name') ?? ''}`;
  const service = `${prefix}/services/${tagValue('service_name') ?? ''}`;
  return ns === CLOUD_RUN_FUNCTION_NAMESPACE ? `${service}/functions/${tagValue(`${ns}build_function_target`) ?? ''}` : service;
}
