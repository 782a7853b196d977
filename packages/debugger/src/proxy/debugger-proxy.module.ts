import { bundle, provide, type Bundle } from '@agentkit/core';
import { DEBUGGER_PROXY } from './debugger-proxy.def.js';
import { HttpDebuggerProxy } from './http-debugger-proxy.js';

/**
 * Uploads in flight get this long on stop (inside the app's budget) before they are cut: a
 * tracer's last symdb batch is worth waiting for, a stuck intake is not.
 */
export const DEBUGGER_PROXY_STOP_TIMEOUT_MS = 5000;

/**
 * The `debugger` bundle: the debugger and symdb proxies of the trace agent port
 * (`DEBUGGER_PROXY`), for the APM receiver to hand those paths to. It does not listen itself.
 * When it ships to the local intake, the app that embeds the intake orders it after it.
 */
export const debuggerBundle: Bundle = bundle('debugger', [provide(DEBUGGER_PROXY, HttpDebuggerProxy, { stopTimeoutMs: DEBUGGER_PROXY_STOP_TIMEOUT_MS })]);
