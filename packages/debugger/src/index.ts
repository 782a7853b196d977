export { DEBUGGER_PROXY } from './proxy/debugger-proxy.def.js';
export type { DebuggerProxy } from './proxy/debugger-proxy.def.js';
