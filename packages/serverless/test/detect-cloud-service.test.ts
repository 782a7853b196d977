import { describe, expect, it } from '@jest/globals';
import { AGENTKIT_VERSION } from '@agentkit/core';
import { detectCloudService, HIGH_CARDINALITY_TAG_KEYS, withoutHighCardinalityTags } from '../src/index.js';

const VERSION_TAG = `datadog_init_version:${AGENTKIT_VERSION}`;
const keyOf = (tag: string): string => (tag.includes(':') ? tag.slice(0, tag.indexOf(':')) : tag);

describe('detectCloudService', () => {
  describe('Cloud Run services', () => {
    const env = { K_SERVICE: 'checkout', K_REVISION: 'checkout-00042-abc', K_CONFIGURATION: 'checkout', DD_ENV: 'Prod', DD_SERVICE: 'Checkout', DD_VERSION: '1.2.3' };

    it('is detected by K_SERVICE, with the gcp.run.container prefix and the cloudrun origin', () => {
      const cloud = detectCloudService(env);
      expect(cloud).toMatchObject({ kind: 'cloud_run', prefix: 'gcp.run.container', origin: 'cloudrun' });
    });

    it('tags revision, service and configuration, plain and under gcr. (DD_ENV & co. come from the loaded config, not here)', () => {
      expect(detectCloudService(env).tags).toEqual([
        'origin:cloudrun',
        '_dd.origin:cloudrun',
        'revision_name:checkout-00042-abc',
        'gcr.revision_name:checkout-00042-abc',
        'service_name:checkout',
        'gcr.service_name:checkout',
        'configuration_name:checkout',
        'gcr.configuration_name:checkout',
        VERSION_TAG,
      ]);
    });

    it('puts Cloud Run functions under gcrfx. with their target and signature type', () => {
      const cloud = detectCloudService({ K_SERVICE: 'fn', FUNCTION_TARGET: 'handler', FUNCTION_SIGNATURE_TYPE: 'http' });
      expect(cloud.kind).toBe('cloud_run');
      expect(cloud.tags).toEqual(expect.arrayContaining(['gcrfx.service_name:fn', 'gcrfx.build_function_target:handler', 'gcrfx.function_signature_type:http']));
      expect(cloud.tags.some((t) => t.startsWith('gcr.'))).toBe(false);
    });
  });

  describe('Cloud Run jobs', () => {
    const env = {
      CLOUD_RUN_JOB: 'nightly',
      CLOUD_RUN_EXECUTION: 'nightly-7x2kq',
      CLOUD_RUN_TASK_INDEX: '3',
      CLOUD_RUN_TASK_ATTEMPT: '1',
      CLOUD_RUN_TASK_COUNT: '10',
    };

    it('is detected by CLOUD_RUN_JOB, with the gcp.run.job prefix', () => {
      expect(detectCloudService(env)).toMatchObject({ kind: 'cloud_run_job', prefix: 'gcp.run.job', origin: 'cloudrunjobs' });
    });

    it('keeps execution and task tags on traces and logs, and off metrics', () => {
      const cloud = detectCloudService(env);
      const highCard = ['gcrj.execution_name:nightly-7x2kq', 'gcrj.task_index:3', 'gcrj.task_attempt:1', 'gcrj.task_count:10'];
      expect(cloud.tags).toEqual(expect.arrayContaining(['job_name:nightly', 'gcrj.job_name:nightly', ...highCard]));
      expect(cloud.metricTags).toEqual(['origin:cloudrunjobs', '_dd.origin:cloudrunjobs', 'job_name:nightly', 'gcrj.job_name:nightly', VERSION_TAG]);
    });
  });

  describe('Azure Container Apps', () => {
    const env = {
      CONTAINER_APP_NAME: 'Orders',
      CONTAINER_APP_ENV_DNS_SUFFIX: 'happyhill-70162bb9.eastus.azurecontainerapps.io',
      CONTAINER_APP_REVISION: 'orders--v2',
      CONTAINER_APP_REPLICA_NAME: 'orders--v2-5d9f-abcde',
      DD_AZURE_SUBSCRIPTION_ID: 'sub-1',
      DD_AZURE_RESOURCE_GROUP: 'rg-1',
    };

    it('is detected by CONTAINER_APP_NAME, with the region from the DNS suffix', () => {
      const cloud = detectCloudService(env);
      expect(cloud).toMatchObject({ kind: 'container_app', prefix: 'azure.containerapp', origin: 'containerapp' });
      expect(cloud.tags).toEqual(
        expect.arrayContaining([
          'app_name:Orders',
          'aca.app.name:Orders',
          'region:eastus',
          'aca.app.region:eastus',
          'revision:orders--v2',
          'subscription_id:sub-1',
          'resource_group:rg-1',
          'resource_id:/subscriptions/sub-1/resourcegroups/rg-1/providers/microsoft.app/containerapps/orders',
        ]),
      );
    });

    it('keeps the replica off metrics', () => {
      const cloud = detectCloudService(env);
      expect(cloud.tags).toEqual(expect.arrayContaining(['replica_name:orders--v2-5d9f-abcde', 'aca.replica.name:orders--v2-5d9f-abcde']));
      expect(cloud.metricTags.filter((t) => t.includes('replica'))).toEqual([]);
      expect(cloud.metricTags).toContain('aca.app.revision:orders--v2');
    });

    it('has no resource id without the subscription and resource group', () => {
      const cloud = detectCloudService({ CONTAINER_APP_NAME: 'orders', CONTAINER_APP_ENV_DNS_SUFFIX: 'short' });
      expect(cloud.tags.filter((t) => t.startsWith('resource_id') || t.startsWith('region'))).toEqual([]);
    });
  });

  describe('Azure App Service', () => {
    it('is detected by WEBSITE_STACK, with the site, region and aas. tags', () => {
      const cloud = detectCloudService({
        WEBSITE_STACK: 'NODE',
        WEBSITE_SITE_NAME: 'shop',
        REGION_NAME: 'westeurope',
        WEBSITE_OWNER_NAME: 'sub-9+rg-9-WestEuropewebspace',
        WEBSITE_RESOURCE_GROUP: 'rg-9',
        WEBSITE_INSTANCE_ID: 'i-1',
      });
      expect(cloud).toMatchObject({ kind: 'app_service', prefix: 'azure.appservice', origin: 'appservice' });
      expect(cloud.tags).toEqual(
        expect.arrayContaining([
          'app_name:shop',
          'region:westeurope',
          'origin:appservice',
          'aas.site.name:shop',
          'aas.site.kind:app',
          'aas.environment.runtime:Node.js',
          'aas.environment.instance_id:i-1',
          'aas.subscription.id:sub-9',
          'aas.resource.id:/subscriptions/sub-9/resourcegroups/rg-9/providers/microsoft.web/sites/shop',
        ]),
      );
    });
  });

  describe('elsewhere', () => {
    it('is local, with the datadog.serverless_agent prefix and a local:true tag', () => {
      const cloud = detectCloudService({});
      expect(cloud).toEqual({ kind: 'local', prefix: 'datadog.serverless_agent', origin: 'local', tags: ['local:true', VERSION_TAG], metricTags: ['local:true', VERSION_TAG] });
    });

    it('prefers Cloud Run when several platforms\' variables are set, as serverless-init does', () => {
      expect(detectCloudService({ CLOUD_RUN_JOB: 'j', K_SERVICE: 's', WEBSITE_STACK: 'NODE' }).kind).toBe('cloud_run');
      expect(detectCloudService({ CONTAINER_APP_NAME: 'a', WEBSITE_STACK: 'NODE' }).kind).toBe('container_app');
    });
  });

  it('never lets a high-cardinality key through metricTags, on any platform', () => {
    const everything = Object.fromEntries([...HIGH_CARDINALITY_TAG_KEYS].map((k) => [k, 'x']));
    const tags = Object.entries(everything).map(([k, v]) => `${k}:${v}`);
    expect(withoutHighCardinalityTags([...tags, 'keep:1'])).toEqual(['keep:1']);
    for (const env of [{ K_SERVICE: 's' }, { CLOUD_RUN_JOB: 'j', CLOUD_RUN_TASK_INDEX: '1' }, { CONTAINER_APP_NAME: 'a', CONTAINER_APP_REPLICA_NAME: 'r' }, {}]) {
      const cloud = detectCloudService(env);
      expect(cloud.metricTags.filter((t) => HIGH_CARDINALITY_TAG_KEYS.has(keyOf(t)))).toEqual([]);
    }
  });

  it('returns a frozen value', () => {
    const cloud = detectCloudService({ K_SERVICE: 's' });
    expect(Object.isFrozen(cloud) && Object.isFrozen(cloud.tags) && Object.isFrozen(cloud.metricTags)).toBe(true);
  });
});
