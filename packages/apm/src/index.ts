export { apmBundle } from './apm.module.js';
export { apmConfigKeys, apmKeys, DEFAULT_APM_MAX_PAYLOAD_BYTES, DEFAULT_APM_RECEIVER_PORT } from './config-keys.js';

export { APM_RECEIVER } from './receiver/apm-receiver.def.js';
export type { ApmReceiver } from './receiver/apm-receiver.def.js';
export { HttpApmReceiver } from './receiver/http-apm-receiver.js';
export { PREBOUND_APM_SERVER, PreboundApmServer } from './receiver/prebound-tcp.js';
export { FakeApmReceiver } from './receiver/fake-apm-receiver.js';
export { DEBUGGER_ROUTES, DOGSTATSD_PROXY_ROUTES, SERVICES_ROUTES, TRACE_ROUTES, servedEndpoints } from './receiver/endpoints.js';
export type { TraceVersion } from './receiver/endpoints.js';
export { decodeTraces, mediaTypeOf } from './receiver/trace-decoder.js';
export type { TraceDecodeResult, TraceRefusal, TraceSummary } from './receiver/trace-decoder.js';
