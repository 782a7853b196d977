import type { IncomingMessage, ServerResponse } from 'node:http';
import { token } from '@agentkit/core';

/**
 * The trace agent's debugger endpoints: what a tracer posts to the agent port under these paths
 * (`/debugger/v1/input`, `/debugger/v1/diagnostics`, `/debugger/v2/input`, `/symdb/v1/input`) is
 * forwarded to Datadog's debugger intake with the headers the Datadog Agent adds. The APM receiver
 * owns the port and hands these requests over; the proxy owns where they go and how.
 */
export interface DebuggerProxy {
  /** The request paths this proxy serves, exactly as a tracer sends them. */
  readonly paths: readonly string[];
  /**
   * Forward one request (its body is streamed, not buffered whole) and answer the tracer. Never
   * rejects: a refused or failed upload is answered, counted and logged by the proxy.
   */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

/** The debugger proxy of the trace agent port. */
export const DEBUGGER_PROXY = token<DebuggerProxy>('DebuggerProxy');
