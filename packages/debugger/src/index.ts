export { DEBUGGER_PROXY } from './proxy/debugger-proxy.def.js';
export type { DebuggerProxy } from './proxy/debugger-proxy.def.js';

export { HttpDebuggerProxy } from './proxy/http-debugger-proxy.js';
export { debuggerBundle, DEBUGGER_PROXY_STOP_TIMEOUT_MS } from './proxy/debugger-proxy.module.js';
export { FakeDebuggerProxy, fakeDebuggerBundle } from './proxy/fake-debugger-proxy.js';
export type { ReceivedDebuggerUpload } from './proxy/fake-debugger-proxy.js';

export {
  DEBUGGER_PROXY_OPTIONS,
  DEFAULT_DEBUGGER_MAX_ATTEMPTS,
  DEFAULT_DEBUGGER_MAX_BODY_BYTES,
  DEFAULT_DEBUGGER_RETRY_BUFFER_BYTES,
  DEFAULT_DEBUGGER_RETRY_BUFFER_TOTAL_BYTES,
} from './proxy/debugger-proxy-options.js';
export type { DebuggerProxyOptions } from './proxy/debugger-proxy-options.js';

export { resolveDebuggerDestinations } from './proxy/debugger-destination.js';
export type { DebuggerDestination, DebuggerDestinations, DebuggerTarget } from './proxy/debugger-destination.js';
export { DEBUGGER_PATHS, DEBUGGER_ROUTES } from './proxy/debugger-routes.js';
export type { DebuggerRoute, DebuggerRouteName } from './proxy/debugger-routes.js';
export { DDTAGS_MAX_CHARS } from './proxy/forward-headers.js';

export { debuggerConfigKeys, debuggerKeys } from './config-keys.js';
export type { DestinationKeys } from './config-keys.js';
export { DebuggerError, DebuggerErrorCode } from './errors.js';
