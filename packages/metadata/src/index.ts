export { HOST_METADATA, HOST_METADATA_CLOCK } from './host/host-metadata.def.js';
export type { HostMeta, HostMetadata, HostPayload, HostSystemStats } from './host/host-metadata.def.js';
export { ForwarderHostMetadata } from './host/forwarder-host-metadata.js';
export { buildHostPayload, collectHostFacts } from './host/host-payload.js';
export type { HostFacts } from './host/host-payload.js';
export { HOST_METADATA_EARLY_INTERVAL_MS, HOST_METADATA_INTERVAL_MS, nextHostMetadataDelayMs } from './host/host-schedule.js';
export { hostMetadataBundle, hostMetadataOn } from './host/host-metadata.module.js';
export { FakeHostMetadata, fakeHostMetadataBundle } from './host/fake-host-metadata.js';
export { metadataConfigKeys, metadataKeys } from './config-keys.js';
