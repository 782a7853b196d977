import { afterEach } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineKey } from '../src/config-key.js';

/** Writes `text` to a fresh temp dir; returns its path and a cleanup. */
export function tempYaml(text: string, name = 'datadog.yaml'): { path: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'agentkit-config-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `tempYaml` whose files are removed after each test of the file that calls this at its top
 * level (it registers the afterEach); returns the writer, which gives the file's path.
 */
export function yamlFilesRemovedAfterEach(): (text: string) => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return (text) => {
    const file = tempYaml(text);
    cleanups.push(file.cleanup);
    return file.path;
  };
}

export const port = defineKey({
  key: 'dogstatsd_port',
  type: 'integer',
  default: 8125,
  min: 0,
  max: 65535,
  doc: 'The UDP port to listen on.',
  datadog: { kind: 'same' },
});
export const nonLocal = defineKey({
  key: 'dogstatsd_non_local_traffic',
  type: 'boolean',
  default: false,
  doc: 'Listen on all interfaces.',
  datadog: { kind: 'same' },
});
export const dsdTags = defineKey({
  key: 'dogstatsd_tags',
  type: 'string-list',
  default: [],
  doc: 'Tags added to every DogStatsD metric.',
  datadog: { kind: 'same' },
});
export const seriesV2 = defineKey({
  key: 'use_v2_api.series',
  type: 'boolean',
  default: true,
  doc: 'Send series with the v2 protobuf endpoint.',
  datadog: { kind: 'same' },
});
export const cardinality = defineKey({
  key: 'dogstatsd_tag_cardinality',
  type: 'enum',
  values: ['low', 'orchestrator', 'high'],
  default: 'low',
  doc: 'Origin tag cardinality.',
  datadog: { kind: 'same' },
});
export interface MapperProfile {
  name: string;
  prefix: string;
}
export const mapperProfiles = defineKey<MapperProfile[]>({
  key: 'dogstatsd_mapper_profiles',
  type: 'json',
  default: [],
  doc: 'Metric name mapping profiles.',
  datadog: { kind: 'same' },
});
export const additionalEndpoints = defineKey<Record<string, string[]>>({
  key: 'additional_endpoints',
  type: 'json',
  default: {},
  doc: 'More intakes: URL → API keys.',
  datadog: { kind: 'same' },
});
export const ratio = defineKey({ key: 'sample_ratio', type: 'number', default: 0.5, min: 0, max: 1, doc: 'A ratio.', datadog: { kind: 'same' } });

export const testKeys = [port, nonLocal, dsdTags, seriesV2, cardinality, mapperProfiles, additionalEndpoints, ratio];
