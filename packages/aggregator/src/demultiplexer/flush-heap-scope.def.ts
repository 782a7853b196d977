import { token } from '@agentkit/core';

/**
 * What the program wants done with its heap while a flush is encoded, e.g. V8's young generation
 * held at its size (the agent binds its `holdYoungGeneration`). Optional: unbound, a flush does
 * nothing of the kind. The aggregator knows only this seam, not the agent's V8 settings.
 */
export interface FlushHeapScope {
  /**
   * Called when a flush with series or sketches starts, synchronously after its buckets are
   * detached; returns what ends the scope, called once when every payload of that flush has been
   * handed to the forwarder (or failed). Flushes may overlap (a stop's flush during a periodic
   * one): each enters its own scope. Must not throw.
   */
  enter(): () => void;
}

export const FLUSH_HEAP_SCOPE = token<FlushHeapScope>('FlushHeapScope');
