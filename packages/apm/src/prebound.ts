// `@agentkit/apm/prebound`: the trace agent's port bound before the rest of the package is
// loaded (see `agentkit exec`). Light on purpose: nothing here may import the receiver itself.
export { PREBOUND_APM_SERVER, PreboundApmServer } from './receiver/prebound-tcp.js';
export { APM_RECEIVER } from './receiver/apm-receiver.def.js';
export type { ApmReceiver } from './receiver/apm-receiver.def.js';
