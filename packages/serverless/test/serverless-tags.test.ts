import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENTKIT_VERSION } from '@agentkit/core';
import { dogstatsdKeys } from '@agentkit/dogstatsd';
import { loadConfig } from '@agentkit/config';
import { detectCloudService, serverlessConfigLayers, withServerlessTags } from '../src/index.js';
import { execKeys } from './helpers.js';

const VERSION_TAG = `datadog_init_version:${AGENTKIT_VERSION}`;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentkit-serverless-tags-'));
  dirs.push(dir);
  const path = join(dir, 'datadog.yaml');
  writeFileSync(path, text);
  return path;
}
function load(env: Record<string, string>, file?: string) {
  const { defaults, forced } = serverlessConfigLayers();
  return loadConfig({ keys: execKeys, env, runtimeDefaults: defaults, overrides: forced, ...(file === undefined ? {} : { file }) });
}

describe('withServerlessTags (serverless-init\'s configureTags, from any config source)', () => {
  const platform = detectCloudService({ K_SERVICE: 'checkout', K_REVISION: 'r1' });

  it('takes tags, extra_tags, env, service and version from the YAML file, lower-cased', () => {
    const file = yamlFile('tags: [Team:Pay, "tier:web,owner:x"]\nextra_tags: [zone:b]\nenv: Prod\nservice: Checkout\nversion: 1.2.3\n');
    const { cloud } = withServerlessTags(load({}, file), platform);
    // serverless-init merges maps: the order carries no meaning.
    expect([...cloud.metricTags].sort()).toEqual([
      'env:prod',
      'service:checkout',
      'version:1.2.3',
      'owner:x',
      'team:pay',
      'tier:web',
      'zone:b',
      'origin:cloudrun',
      '_dd.origin:cloudrun',
      'revision_name:r1',
      'gcr.revision_name:r1',
      'service_name:checkout',
      'gcr.service_name:checkout',
      VERSION_TAG,
    ].sort());
  });

  it('splits DD_TAGS on spaces (the config) and commas (serverless-init), and leaves out tags without a value', () => {
    const { cloud, ignored } = withServerlessTags(load({ DD_TAGS: 'team:a,tier:web owner:x', DD_EXTRA_TAGS: 'bare,zone:1' }), detectCloudService({}));
    expect([...cloud.metricTags].sort()).toEqual(['owner:x', 'team:a', 'tier:web', 'zone:1', 'local:true', VERSION_TAG].sort());
    expect(ignored).toEqual(['bare']);
  });

  it('lets tags overwrite env/service/version, and the platform overwrite both, key by key', () => {
    const { cloud } = withServerlessTags(load({ DD_ENV: 'prod', DD_TAGS: 'env:staging service_name:fake' }), platform);
    expect(cloud.tags).toContain('env:staging');
    expect(cloud.tags).not.toContain('env:prod');
    expect(cloud.tags).toContain('service_name:checkout');
  });

  it('adds them to the user\'s dogstatsd_tags, never replacing them, as a runtime override', () => {
    const { config, cloud } = withServerlessTags(load({ DD_DOGSTATSD_TAGS: 'team:x extra:1', DD_ENV: 'prod' }), platform);
    expect(config.get(dogstatsdKeys.tags)).toEqual(['team:x', 'extra:1', ...cloud.metricTags]);
    expect(config.get(dogstatsdKeys.tags)).toContain('env:prod');
    expect(config.source(dogstatsdKeys.tags)).toEqual({ kind: 'runtime' });
  });

  it('keeps a configured high-cardinality tag on traces and logs, off metrics', () => {
    const { cloud, config } = withServerlessTags(load({ DD_TAGS: 'container_id:abc team:a' }), detectCloudService({}));
    expect(cloud.tags).toContain('container_id:abc');
    expect(cloud.metricTags).not.toContain('container_id:abc');
    expect(config.get(dogstatsdKeys.tags)).not.toContain('container_id:abc');
  });
});
