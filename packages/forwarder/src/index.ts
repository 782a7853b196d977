export { ENDPOINT_PATHS, FORWARDER } from './forwarder/forwarder.def.js';
export type { EndpointName, Forwarder, Payload } from './forwarder/forwarder.def.js';
export { FakeForwarder, fakeForwarderBundle } from './forwarder/fake-forwarder.js';
