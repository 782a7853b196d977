import { token } from '@agentkit/core';

/** Where `agentkit exec` runs, told apart by the platform's environment variables. */
export type CloudKind = 'cloud_run' | 'cloud_run_job' | 'container_app' | 'app_service' | 'local';

/**
 * The detected platform and its tags: a plain, frozen value (see `detectCloudService`). Safe to
 * share and to read at any time.
 */
export interface CloudService {
  readonly kind: CloudKind;
  /** Enhanced metric prefix: `gcp.run.container`, `gcp.run.job`, `azure.containerapp`, `azure.appservice`, `datadog.serverless_agent`. */
  readonly prefix: string;
  /** The `origin` tag value: `cloudrun`, `cloudrunjobs`, `containerapp`, `appservice`, `local`. */
  readonly origin: string;
  /** Every tag, for traces and logs (high-cardinality ones included), `key:value`, one per key. */
  readonly tags: readonly string[];
  /** `tags` without the high-cardinality ones (`HIGH_CARDINALITY_TAG_KEYS`): what metrics carry. */
  readonly metricTags: readonly string[];
}

/** The detected platform, for components that tag or name what they send after it. */
export const CLOUD_SERVICE = token<CloudService>('CloudService');

/** Per kind: the enhanced metric prefix and the origin, as serverless-init's cloudservice package has them. */
export const CLOUD_KINDS: Readonly<Record<CloudKind, { readonly prefix: string; readonly origin: string }>> = Object.freeze({
  cloud_run: { prefix: 'gcp.run.container', origin: 'cloudrun' },
  cloud_run_job: { prefix: 'gcp.run.job', origin: 'cloudrunjobs' },
  container_app: { prefix: 'azure.containerapp', origin: 'containerapp' },
  app_service: { prefix: 'azure.appservice', origin: 'appservice' },
  local: { prefix: 'datadog.serverless_agent', origin: 'local' },
});
