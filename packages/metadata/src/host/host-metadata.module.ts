import { commonKeys } from '@agentkit/config';
import { bundle, provide, type Bundle, type ConfigReader } from '@agentkit/core';
import { systemClock } from '@agentkit/forwarder';
import { metadataKeys } from '../config-keys.js';
import { ForwarderHostMetadata } from './forwarder-host-metadata.js';
import { HOST_METADATA, HOST_METADATA_CLOCK } from './host-metadata.def.js';

/**
 * On unless `enable_metadata_collection` is off, and never in serverless mode (`agentkit exec`):
 * serverless-init sends no host metadata, its instances are not hosts.
 */
export function hostMetadataOn(config: ConfigReader): boolean {
  return config.get(metadataKeys.enableMetadataCollection) && !config.get(commonKeys.serverlessEnabled);
}

/**
 * `host-metadata`: ForwarderHostMetadata (HOST_METADATA) on real time. It injects FORWARDER,
 * so add a forwarder bundle.
 */
export const hostMetadataBundle: Bundle = bundle(
  'host-metadata',
  [provide(HOST_METADATA, ForwarderHostMetadata), provide(HOST_METADATA_CLOCK, { useValue: systemClock })],
  { enabled: hostMetadataOn },
);
