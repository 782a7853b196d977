import { AGENTKIT_VERSION } from '@agentkit/core';
import { CLOUD_KINDS, type CloudKind, type CloudService } from './cloud-service.js';
import { TagMap, withoutHighCardinalityTags } from './tags.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Cloud Run tags go under `gcr.`, Cloud Run functions' under `gcrfx.`, jobs' under `gcrj.`. */
export const CLOUD_RUN_NAMESPACE = 'gcr.';
export const CLOUD_RUN_FUNCTION_NAMESPACE = 'gcrfx.';
export const CLOUD_RUN_JOB_NAMESPACE = 'gcrj.';

/**
 * Detects the platform from its environment variables, as serverless-init does (a variable
 * counts when present, even empty), and builds the platform's tags: origin, the platform's
 * own, then `datadog_init_version`. The user's tags (`tags`, `extra_tags`, `env`, `service`,
 * `version`) are not read here but from the loaded configuration (`withServerlessTags`), so a
 * YAML file counts as much as `DD_TAGS`. Synchronous and pure: no I/O (the metadata server is
 * `lookupCloudMetadata`'s job).
 *
 * | set | kind |
 * |---|---|
 * | `K_SERVICE` (`FUNCTION_TARGET` too: a Cloud Run function) | `cloud_run` |
 * | `CLOUD_RUN_JOB` | `cloud_run_job` |
 * | `CONTAINER_APP_NAME` | `container_app` |
 * | `WEBSITE_STACK` | `app_service` |
 * | none | `local` |
 */
export function detectCloudService(env: Env): CloudService {
  const kind = detectKind(env);
  const { prefix, origin } = CLOUD_KINDS[kind];
  const tags = new TagMap();
  if (kind === 'local') tags.set('local', 'true');
  else tags.set('origin', origin).set('_dd.origin', origin);
  PLATFORM_TAGS[kind](env, tags);
  tags.set('datadog_init_version', AGENTKIT_VERSION);
  const all = tags.toArray();
  return Object.freeze({ kind, prefix, origin, tags: all, metricTags: withoutHighCardinalityTags(all) });
}

function detectKind(env: Env): CloudKind {
  if (env['K_SERVICE'] !== undefined) return 'cloud_run';
  if (env['CLOUD_RUN_JOB'] !== undefined) return 'cloud_run_job';
  if (env['CONTAINER_APP_NAME'] !== undefined) return 'container_app';
  if (env['WEBSITE_STACK'] !== undefined) return 'app_service';
  return 'local';
}

const PLATFORM_TAGS: Readonly<Record<CloudKind, (env: Env, tags: TagMap) => void>> = {
  cloud_run: cloudRunTags,
  cloud_run_job: cloudRunJobTags,
  container_app: containerAppTags,
  app_service: appServiceTags,
  local: () => {},
};

function cloudRunTags(env: Env, tags: TagMap): void {
  const isFunction = env['FUNCTION_TARGET'] !== undefined;
  const ns = isFunction ? CLOUD_RUN_FUNCTION_NAMESPACE : CLOUD_RUN_NAMESPACE;
  for (const [name, key] of [
    ['K_REVISION', 'revision_name'],
    ['K_SERVICE', 'service_name'],
    ['K_CONFIGURATION', 'configuration_name'],
  ] as const) {
    tags.set(key, env[name]).set(ns + key, env[name]);
  }
  if (isFunction) {
    tags.set(`${ns}build_function_target`, env['FUNCTION_TARGET']).set(`${ns}function_signature_type`, env['FUNCTION_SIGNATURE_TYPE']);
  }
}

function cloudRunJobTags(env: Env, tags: TagMap): void {
  const ns = CLOUD_RUN_JOB_NAMESPACE;
  tags
    .set('job_name', env['CLOUD_RUN_JOB'])
    .set(`${ns}job_name`, env['CLOUD_RUN_JOB'])
    .set(`${ns}execution_name`, env['CLOUD_RUN_EXECUTION'])
    .set(`${ns}task_index`, env['CLOUD_RUN_TASK_INDEX'])
    .set(`${ns}task_attempt`, env['CLOUD_RUN_TASK_ATTEMPT'])
    .set(`${ns}task_count`, env['CLOUD_RUN_TASK_COUNT']);
}

function containerAppTags(env: Env, tags: TagMap): void {
  const app = env['CONTAINER_APP_NAME'];
  // `<env>.<region>.azurecontainerapps.io`: the region is the third label from the end.
  const labels = (env['CONTAINER_APP_ENV_DNS_SUFFIX'] ?? '').split('.');
  const region = labels.length >= 3 ? labels[labels.length - 3] : undefined;
  const subscription = env['DD_AZURE_SUBSCRIPTION_ID'];
  const group = env['DD_AZURE_RESOURCE_GROUP'];
  // Both names are kept: the `aca.` ones are newer (billing), the others for compatibility.
  tags
    .set('app_name', app)
    .set('aca.app.name', app)
    .set('region', region)
    .set('aca.app.region', region)
    .set('revision', env['CONTAINER_APP_REVISION'])
    .set('aca.app.revision', env['CONTAINER_APP_REVISION'])
    .set('replica_name', env['CONTAINER_APP_REPLICA_NAME'])
    .set('aca.replica.name', env['CONTAINER_APP_REPLICA_NAME'])
    .set('subscription_id', subscription)
    .set('aca.subscription.id', subscription)
    .set('resource_group', group)
    .set('aca.resource.group', group);
  if (subscription && group && app !== undefined) {
    const id = `/subscriptions/${subscription}/resourcegroups/${group}/providers/microsoft.app/containerapps/${app.toLowerCase()}`;
    tags.set('resource_id', id).set('aca.resource.id', id);
  }
}

function appServiceTags(env: Env, tags: TagMap): void {
  const site = env['WEBSITE_SITE_NAME'];
  const group = env['WEBSITE_RESOURCE_GROUP'];
  // WEBSITE_OWNER_NAME is `<subscription id>+<resource group>-<region>webspace`.
  const owner = env['WEBSITE_OWNER_NAME'] ?? '';
  const subscription = owner.includes('+') ? owner.slice(0, owner.indexOf('+')) : undefined;
  const functionRuntime = env['FUNCTIONS_WORKER_RUNTIME'];
  tags
    .set('app_name', site)
    .set('region', env['REGION_NAME'])
    .set('aas.environment.instance_id', env['WEBSITE_INSTANCE_ID'] ?? 'unknown')
    .set('aas.environment.instance_name', env['COMPUTERNAME'] ?? 'unknown')
    .set('aas.environment.os', process.platform === 'win32' ? 'windows' : process.platform)
    .set('aas.environment.runtime', functionRuntime ?? appServiceRuntime(env))
    .set('aas.resource.group', group)
    .set('aas.site.kind', functionRuntime === undefined ? 'app' : 'functionapp')
    .set('aas.site.name', site)
    .set('aas.site.type', 'app')
    .set('aas.subscription.id', subscription);
  if (functionRuntime !== undefined) tags.set('aas.environment.function_runtime', env['FUNCTIONS_EXTENSION_VERSION']);
  if (subscription && group && site) {
    tags.set('aas.resource.id', `/subscriptions/${subscription}/resourcegroups/${group}/providers/microsoft.web/sites/${site}`);
  }
}

/** The runtime of a Linux App Service from its stack, as Datadog's tracer utilities name it. */
function appServiceRuntime(env: Env): string {
  switch (env['WEBSITE_STACK']) {
    case 'DOCKER':
      return 'Container';
    case '':
    case undefined:
      return env['DOCKER_SERVER_VERSION'] ? 'Container' : 'unknown';
    case 'NODE':
      return 'Node.js';
    case 'PYTHON':
      return 'Python';
    case 'JAVA':
    case 'TOMCAT':
      return 'Java';
    case 'DOTNETCORE':
      return '.NET';
    case 'PHP':
      return 'PHP';
    default:
      return 'unknown';
  }
}
