/** The trace payload versions served; each is a `/v<version>/traces` route. */
export type TraceVersion = 'v0.3' | 'v0.4' | 'v0.5';

/**
 * The trace routes and their versions. v0.3 and v0.4 carry the same shape (an array of traces,
 * each an array of span maps); v0.5 a string table and spans as arrays. dd-trace-js sends v0.4
 * (v0.5 with `DD_TRACE_AGENT_PROTOCOL_VERSION=0.5`), with PUT. v0.7 (a msgpack TracerPayload) is
 * not served: no Node tracer sends it.
 */
export const TRACE_ROUTES: ReadonlyMap<string, TraceVersion> = new Map([
  ['/v0.3/traces', 'v0.3'],
  ['/v0.4/traces', 'v0.4'],
  ['/v0.5/traces', 'v0.5'],
]);

/** Services payloads: the Agent answers `OK` and keeps nothing (services come from spans since 2019). */
export const SERVICES_ROUTES: readonly string[] = ['/v0.3/services', '/v0.4/services'];

/** The DogStatsD proxy; v1 is the deprecated name of the same handler in the Agent. */
export const DOGSTATSD_PROXY_ROUTES: readonly string[] = ['/dogstatsd/v1/proxy', '/dogstatsd/v2/proxy'];

export const INFO_ROUTE = '/info';

/**
 * The debugger and symbol-database routes of the trace agent. Served by the `DebuggerProxy`
 * when the app has one (its own `paths`); without it they are answered 404 as the Agent answers
 * a route it does not have, and counted (`dropped.no_debugger_proxy`).
 */
export const DEBUGGER_ROUTES: readonly string[] = ['/debugger/v1/input', '/debugger/v1/diagnostics', '/debugger/v2/input', '/symdb/v1/input'];

/**
 * The routes `/info` lists, in the Agent's order (pkg/trace/api/endpoints.go), `/info` itself
 * not included (the Agent does not list it either): what a tracer may use here.
 */
export function servedEndpoints(debuggerPaths: readonly string[]): string[] {
  return [...TRACE_ROUTES.keys(), ...SERVICES_ROUTES, ...debuggerPaths, ...DOGSTATSD_PROXY_ROUTES].sort(byAgentOrder);
}

const AGENT_ORDER = [
  '/v0.3/traces',
  '/v0.3/services',
  '/v0.4/traces',
  '/v0.4/services',
  '/v0.5/traces',
  '/debugger/v1/input',
  '/debugger/v1/diagnostics',
  '/debugger/v2/input',
  '/symdb/v1/input',
  '/dogstatsd/v1/proxy',
  '/dogstatsd/v2/proxy',
];

function byAgentOrder(a: string, b: string): number {
  const ia = AGENT_ORDER.indexOf(a);
  const ib = AGENT_ORDER.indexOf(b);
  return (ia < 0 ? AGENT_ORDER.length : ia) - (ib < 0 ? AGENT_ORDER.length : ib);
}
