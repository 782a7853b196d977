/**
 * What the host process changes about its heap while a stretch of work runs, undone when the
 * work ends: `agentkit run` and `agentkit exec` bind one that holds V8's young generation at its
 * size (packages/agent/src/agent-v8-flags.ts, `holdYoungGeneration`). A component that takes one
 * (optional: unbound, nothing changes) knows only this seam, not the agent's V8 settings; its
 * token says which work it scopes.
 */
export interface HeapScope {
  /**
   * Called when the work starts; returns what ends the scope, called once when the work ends,
   * however it ends. Scopes may overlap: each `enter` has its own end. Must not throw.
   */
  enter(): () => void;
}
