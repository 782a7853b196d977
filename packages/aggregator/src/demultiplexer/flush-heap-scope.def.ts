import { token, type HeapScope } from '@agentkit/core';

/**
 * What the program wants done with its heap while a flush is encoded, e.g. V8's young generation
 * held at its size (`agentkit run` binds its `holdYoungGeneration`). Optional: unbound, a flush
 * does nothing of the kind. Entered when a flush with series or sketches starts, synchronously
 * after its buckets are detached; ended when every payload of that flush has been handed to the
 * forwarder (or failed). Flushes may overlap (a stop's flush during a periodic one): each enters
 * its own scope.
 */
export const FLUSH_HEAP_SCOPE = token<HeapScope>('FlushHeapScope');
