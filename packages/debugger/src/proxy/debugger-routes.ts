import { debuggerKeys, type DestinationKeys } from '../config-keys.js';

/** The telemetry name of a proxied route. */
export type DebuggerRouteName = 'symdb' | 'debugger_logs' | 'debugger_diagnostics' | 'debugger_v2';

/**
 * One path of the trace agent port and where the Datadog Agent sends it
 * (datadog-agent `pkg/trace/api/endpoints.go`, `debugger.go`, `symdb.go`).
 */
export interface DebuggerRoute {
  /** As the tracer posts it. */
  readonly path: string;
  readonly name: DebuggerRouteName;
  /** The intake host before `.<site>`. */
  readonly intakeHost: 'debugger-intake' | 'http-intake.logs';
  /** The intake path the request is posted to (the tracer's path is not kept). */
  readonly intakePath: '/api/v2/debugger' | '/api/v2/logs';
  /** `DD-EVP-ORIGIN`. */
  readonly evpOrigin: 'agent-symdb' | 'agent-debugger';
  /**
   * Where the agent's tags go: the debugger proxy sets the `ddtags` query parameter (cut to
   * 4001 characters), the symdb proxy the `X-Datadog-Additional-Tags` header.
   */
  readonly tagsIn: 'query' | 'header';
  readonly keys: DestinationKeys;
}

const LOGS_KEYS: DestinationKeys = {
  url: debuggerKeys.debuggerDdUrl,
  apiKey: debuggerKeys.debuggerApiKey,
  additionalEndpoints: debuggerKeys.debuggerAdditionalEndpoints,
};
const DIAGNOSTICS_KEYS: DestinationKeys = {
  url: debuggerKeys.debuggerDiagnosticsDdUrl,
  apiKey: debuggerKeys.debuggerDiagnosticsApiKey,
  additionalEndpoints: debuggerKeys.debuggerDiagnosticsAdditionalEndpoints,
};
const SYMDB_KEYS: DestinationKeys = {
  url: debuggerKeys.symdbDdUrl,
  apiKey: debuggerKeys.symdbApiKey,
  additionalEndpoints: debuggerKeys.symdbAdditionalEndpoints,
};

/**
 * The four routes. `/debugger/v1/input` (Dynamic Instrumentation logs, the older tracers' track)
 * goes to the logs intake; diagnostics and the v2 input (the DEBUGGER track) to the debugger
 * intake, with one set of keys; symbol database uploads to the debugger intake too, with their own.
 */
export const DEBUGGER_ROUTES: readonly DebuggerRoute[] = Object.freeze([
  { path: '/debugger/v1/input', name: 'debugger_logs', intakeHost: 'http-intake.logs', intakePath: '/api/v2/logs', evpOrigin: 'agent-debugger', tagsIn: 'query', keys: LOGS_KEYS },
  { path: '/debugger/v1/diagnostics', name: 'debugger_diagnostics', intakeHost: 'debugger-intake', intakePath: '/api/v2/debugger', evpOrigin: 'agent-debugger', tagsIn: 'query', keys: DIAGNOSTICS_KEYS },
  { path: '/debugger/v2/input', name: 'debugger_v2', intakeHost: 'debugger-intake', intakePath: '/api/v2/debugger', evpOrigin: 'agent-debugger', tagsIn: 'query', keys: DIAGNOSTICS_KEYS },
  { path: '/symdb/v1/input', name: 'symdb', intakeHost: 'debugger-intake', intakePath: '/api/v2/debugger', evpOrigin: 'agent-symdb', tagsIn: 'header', keys: SYMDB_KEYS },
]);

/** The paths the proxy serves, for the receiver's router and `/info`. */
export const DEBUGGER_PATHS: readonly string[] = Object.freeze(DEBUGGER_ROUTES.map((r) => r.path));
